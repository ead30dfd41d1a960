"""Twisted Deferreds that components return, awaited as asyncio Futures; Twisted never
imported for it.

Scrapy 2.19 still accepts a Deferred from a middleware, a pipeline's ``process_item``,
``open_spider``/``close_spider``, a download handler or a callback, with a deprecation
warning. ascrapy does the same: the Deferred becomes a Future of the running loop
(``Deferred.asFuture``), which fires when the Deferred does (from a Twisted call running on
that loop: see ascrapy.utils.twisted_reactor). A value is recognised as a Deferred only if
its class comes from a ``twisted`` module, so code that uses no Twisted pays one attribute
read, and only where a result is awaitable already.
"""

from __future__ import annotations

import asyncio
import sys
import warnings
from collections.abc import Callable
from typing import Any

from ascrapy.exceptions import ScrapyDeprecationWarning


def is_deferred(value: object) -> bool:
    """Whether ``value`` is a Twisted Deferred (checked without importing Twisted)."""
    if not type(value).__module__.startswith("twisted"):
        return False
    defer = sys.modules.get("twisted.internet.defer")
    return defer is not None and isinstance(value, defer.Deferred)


def _name(source: Callable[..., Any] | str | None) -> str:
    if source is None or isinstance(source, str):
        return source or "a component"
    owner = getattr(source, "__self__", None)
    qualname = getattr(source, "__qualname__", repr(source))
    if owner is not None and "." not in qualname:
        qualname = f"{type(owner).__qualname__}.{qualname}"
    return f"{getattr(source, '__module__', '')}.{qualname}".lstrip(".")


def deferred_as_future(result: Any, source: Callable[..., Any] | str | None = None, *, stacklevel: int = 3) -> Any:
    """``result`` as it is, unless it is a Deferred: then a Future of the running loop that
    settles with it, after Scrapy's deprecation warning naming ``source`` (what returned it)."""
    if not is_deferred(result):
        return result
    warn_deferred(_name(source), stacklevel=stacklevel)
    return result.asFuture(asyncio.get_running_loop())


def warn_deferred(source: str, *, stacklevel: int) -> None:
    """Scrapy's deprecation warning for a Deferred that ``source`` returned (``stacklevel``
    as the caller would give warnings.warn)."""
    warnings.warn(
        f"{source} returned a Deferred, this is deprecated. Please refactor this function to return a coroutine.",
        ScrapyDeprecationWarning,
        stacklevel=stacklevel + 1,
    )
