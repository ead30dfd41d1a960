"""Scrapy's reactor helpers, for scripts that call them before running a crawl.

ascrapy has no Twisted reactor: every crawl runs on the asyncio loop. Scripts written for
Scrapy still call ``install_reactor(...)`` first and plugins check
``is_asyncio_reactor_installed()`` before they use asyncio; here installing a reactor only
sets up the asyncio event loop it names, and the "asyncio reactor" is always there. Asked
to verify an installed reactor, these helpers answer as Scrapy does when none is installed.
"""

from __future__ import annotations

import asyncio
import sys
import warnings
from typing import Any

from ascrapy.utils.defer import TwistedRequiredError
from ascrapy.utils.misc import load_object
from ascrapy.utils.twisted_reactor import install_reactor_finder
from ascrapy.utils.twisted_reactor import reactor_loop as twisted_reactor_loop

ASYNCIO_REACTOR_PATH = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
"""The TWISTED_REACTOR value that means "run on asyncio" (the default)."""


def install_reactor(reactor_path: str, event_loop_path: str | None = None) -> None:
    """Set the asyncio event loop (``event_loop_path``, a loop class) a crawl will run on.

    No Twisted reactor is installed now: should code import ``twisted.internet.reactor``
    later, it gets Twisted's asyncio reactor on the crawl's loop (ascrapy.utils.twisted_reactor).
    """
    install_reactor_finder()
    if reactor_path != ASYNCIO_REACTOR_PATH:
        warnings.warn(
            f"ascrapy runs on asyncio only; the reactor {reactor_path} is not installed",
            stacklevel=2,
        )
    set_asyncio_event_loop(event_loop_path)


def set_asyncio_event_loop_policy() -> None:
    """Nothing to do: Scrapy sets a policy for Twisted on Windows, ascrapy has no Twisted."""


def set_asyncio_event_loop(event_loop_path: str | None) -> asyncio.AbstractEventLoop:
    """The current event loop of this thread, made one of ``event_loop_path`` if given."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            loop = asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    if event_loop_path is not None:
        loop_class: type[asyncio.AbstractEventLoop] = load_object(event_loop_path)
        if not isinstance(loop, loop_class):
            loop = loop_class()
            asyncio.set_event_loop(loop)
    return loop


def is_reactor_installed() -> bool:
    """Whether a Twisted reactor is installed in this process (ascrapy installs Twisted's
    asyncio reactor on its loop only when some code imports it: ascrapy.utils.twisted_reactor)."""
    return "twisted.internet.reactor" in sys.modules


def _installed_reactor_path() -> str | None:
    """The class path of the installed Twisted reactor, if there is one."""
    reactor = sys.modules.get("twisted.internet.reactor")
    if reactor is None:
        return None
    return f"{type(reactor).__module__}.{type(reactor).__qualname__}"


def is_asyncio_reactor_installed() -> bool:
    """Whether asyncio is what runs: always, unless some code installed another Twisted
    reactor than the asyncio one."""
    installed = _installed_reactor_path()
    return installed is None or installed == ASYNCIO_REACTOR_PATH


def verify_installed_reactor(reactor_path: str) -> None:
    """Raise RuntimeError unless the installed Twisted reactor is of ``reactor_path`` (or,
    as in Scrapy, when no reactor is installed)."""
    installed = _installed_reactor_path()
    if installed is not None:
        if installed != reactor_path:
            raise RuntimeError(f"The installed reactor ({installed}) does not match the requested one ({reactor_path})")
        return
    raise RuntimeError(
        f"verify_installed_reactor() called without an installed reactor ({reactor_path} asked): "
        "ascrapy runs on asyncio with no Twisted reactor"
    )


def verify_installed_asyncio_event_loop(loop_path: str) -> None:
    """Raise RuntimeError unless the loop Twisted's reactor runs on is a ``loop_path``
    (or when no reactor is installed, as Scrapy does)."""
    loop = twisted_reactor_loop()
    if loop is not None:
        if not isinstance(loop, load_object(loop_path)):
            raise RuntimeError(
                f"The event loop of the installed asyncio reactor ({type(loop).__module__}."
                f"{type(loop).__qualname__}) does not match the ASYNCIO_EVENT_LOOP setting ({loop_path})"
            )
        return
    raise RuntimeError(
        f"verify_installed_asyncio_event_loop() called without an installed reactor ({loop_path} asked): "
        "ascrapy runs on asyncio with no Twisted reactor; check asyncio.get_running_loop() instead"
    )


def listen_tcp(portrange: list[int], host: str, factory: Any) -> Any:
    """Twisted's listenTCP over a port range: not available without a reactor."""
    raise TwistedRequiredError(
        "scrapy.utils.reactor.listen_tcp() listens with a Twisted factory on the Twisted reactor, "
        "which ascrapy does not run. Instead: asyncio's loop.create_server() or aiohttp.web."
    )
