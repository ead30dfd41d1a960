"""Decorators: deprecation warnings, running blocking functions in a thread, spider-argument
deprecation."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.deprecate import warn_spider_arg

__all__ = ["defers", "deprecated", "inthread"]

_T = TypeVar("_T")
_P = ParamSpec("_P")


def deprecated(use_instead: Any = None) -> Any:
    """Make a function warn (ScrapyDeprecationWarning) each time it is called.

    Use as ``@deprecated``, ``@deprecated()`` or ``@deprecated("new_function")``; the
    string is named in the warning.
    """

    def decorate(func: Callable[_P, _T]) -> Callable[_P, _T]:
        @functools.wraps(func)
        def warn_then_call(*args: _P.args, **kwargs: _P.kwargs) -> _T:
            message = f"Call to deprecated function {func.__name__}."
            if use_instead:
                message += f" Use {use_instead} instead."
            warnings.warn(message, category=ScrapyDeprecationWarning, stacklevel=2)
            return func(*args, **kwargs)

        return warn_then_call

    if callable(use_instead):  # bare @deprecated
        func, use_instead = use_instead, None
        return decorate(func)
    return decorate


def defers(func: Callable[_P, Any]) -> Callable[_P, asyncio.Future[Any]]:
    """Deprecated: make ``func`` always return an asyncio Future (Scrapy: a Deferred).

    The call happens at once; an exception becomes the Future's exception and an awaitable
    result is awaited. Needs a running event loop.
    """
    warnings.warn(
        "@defers is deprecated, you can use maybeDeferred() directly if needed.",
        category=ScrapyDeprecationWarning,
        stacklevel=2,
    )
    from ascrapy.utils.defer import _future_from_call  # noqa: PLC0415 - defer imports this module's users

    @functools.wraps(func)
    def as_future(*args: _P.args, **kwargs: _P.kwargs) -> asyncio.Future[Any]:
        return _future_from_call(func, *args, **kwargs)

    return as_future


def inthread(func: Callable[_P, _T]) -> Callable[_P, asyncio.Future[_T]]:
    """Run each call of a blocking function in the loop's default thread pool.

    The wrapper returns an asyncio Future for the result at once (so the work starts even
    if nobody awaits it, as with Scrapy's Deferred); context variables are carried into
    the thread. Must be called while the event loop runs.
    """

    @functools.wraps(func)
    def in_thread(*args: _P.args, **kwargs: _P.kwargs) -> asyncio.Future[_T]:
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        call = functools.partial(context.run, func, *args, **kwargs)
        return loop.run_in_executor(None, call)

    return in_thread


def _warn_spider_arg(func: Callable[_P, _T]) -> Callable[_P, _T]:
    """Warn when a caller still passes the ``spider`` argument that ``func`` is dropping.

    Works for plain functions, coroutine functions and async generator functions; the
    wrapper keeps the kind of ``func``.
    """
    parameters = inspect.signature(func).parameters
    spider_param = parameters.get("spider")
    positional_kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    spider_position = (
        list(parameters).index("spider")
        if spider_param is not None and spider_param.kind in positional_kinds
        else None
    )

    def warn_if_spider_given(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        given_positionally = spider_position is not None and len(args) > spider_position
        if "spider" in kwargs or given_positionally:
            warn_spider_arg(func.__qualname__, stacklevel=4)

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def coroutine_wrapper(*args: Any, **kwargs: Any) -> Any:
            warn_if_spider_given(args, kwargs)
            return await func(*args, **kwargs)

        return coroutine_wrapper  # type: ignore[return-value]

    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def asyncgen_wrapper(*args: Any, **kwargs: Any) -> Any:
            warn_if_spider_given(args, kwargs)
            async for value in func(*args, **kwargs):
                yield value

        return asyncgen_wrapper

    @functools.wraps(func)
    def sync_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        warn_if_spider_given(args, kwargs)
        return func(*args, **kwargs)

    return sync_wrapper
