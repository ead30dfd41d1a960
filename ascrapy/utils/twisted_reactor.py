"""Twisted's asyncio reactor on ascrapy's event loop, installed when something imports it.

Plugins written for Scrapy use Twisted: ``LoopingCall``, ``reactor.callLater``,
``deferToThread``, Deferreds. Scrapy runs Twisted's ``AsyncioSelectorReactor`` on an asyncio
loop; ascrapy can do the same on its own loop, but only when a component asks for it. A
finder on ``sys.meta_path`` answers for the one module ``twisted.internet.reactor``: the
first import of it installs ``AsyncioSelectorReactor`` on the running loop (or, before any
loop runs, on a new loop made the thread's current one, which ``CrawlerProcess`` then runs:
``loop_for_crawl``), and starts it without taking signals. Twisted's own default reactor is
never installed, and a crawl that no Twisted code touches never imports Twisted at all: the
finder only looks at a module name.

When the crawl process ends, ``stop_twisted_threads`` stops the reactor's thread pool
(``deferToThread``), whose threads would otherwise keep the process alive.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

REACTOR_MODULE = "twisted.internet.reactor"
ASYNCIO_REACTOR_PATH = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

_reactor_loop: asyncio.AbstractEventLoop | None = None
"""The loop this module installed Twisted's reactor on (None: not installed by ascrapy)."""


def twisted_available() -> bool:
    """Whether Twisted could be imported (checked without importing it)."""
    return "twisted" in sys.modules or importlib.util.find_spec("twisted") is not None


def install_asyncio_reactor() -> Any:
    """Install Twisted's AsyncioSelectorReactor on ascrapy's loop and return it.

    The running loop if there is one; else a new loop, made the thread's current loop, on
    which the next crawl of this process runs. The reactor is started (its startup triggers
    fire, its thread pool can start) at once on a running loop, else when the loop starts."""
    global _reactor_loop
    from twisted.internet import asyncioreactor  # noqa: PLC0415 - Twisted only when asked for

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    reactor = asyncioreactor.AsyncioSelectorReactor(loop)
    from twisted.internet.main import installReactor  # noqa: PLC0415

    installReactor(reactor)
    _reactor_loop = loop
    if loop.is_running():
        _start(reactor)
    else:
        loop.call_soon(_start, reactor)
    return reactor


def _start(reactor: Any) -> None:
    """What ``reactor.run()`` does besides running the loop, which ascrapy already runs."""
    if not reactor.running:
        reactor.startRunning(installSignalHandlers=False)


def reactor_loop() -> asyncio.AbstractEventLoop | None:
    """The loop ascrapy installed Twisted's reactor on, if it did."""
    return _reactor_loop


def loop_for_crawl() -> asyncio.AbstractEventLoop | None:
    """The loop a crawl must run on: the one Twisted's reactor was installed on before any
    loop ran, if that happened and the loop is still usable; else None (any loop)."""
    loop = _reactor_loop
    if loop is None or loop.is_closed() or loop.is_running():
        return None
    return loop


def stop_twisted_threads() -> None:
    """Stop the thread pool of the reactor this module installed, if it made one."""
    if _reactor_loop is None:
        return
    reactor = sys.modules.get(REACTOR_MODULE)
    pool = getattr(reactor, "threadpool", None)
    if pool is not None and pool.started:
        pool.stop()


class _InstallReactor(Loader):
    """Loads ``twisted.internet.reactor`` by installing the asyncio reactor on ascrapy's loop."""

    def create_module(self, spec: ModuleSpec) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        # As Twisted's own reactor module does: out of the way, so that installReactor (which
        # refuses when the name is taken) can put the reactor itself there.
        del sys.modules[REACTOR_MODULE]
        install_asyncio_reactor()


class ReactorOnLoopFinder(MetaPathFinder):
    """Answers for ``twisted.internet.reactor`` only, and only while no reactor is installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != REACTOR_MODULE:
            return None
        return ModuleSpec(fullname, _InstallReactor())


def install_reactor_finder() -> ReactorOnLoopFinder:
    """Put the finder first on ``sys.meta_path`` (once per process)."""
    for finder in sys.meta_path:
        if isinstance(finder, ReactorOnLoopFinder):
            return finder
    finder = ReactorOnLoopFinder()
    sys.meta_path.insert(0, finder)
    return finder
