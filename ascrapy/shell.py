"""The scraping shell (scrapy.shell): a Python console with a fetched response in it.

The console blocks the thread it runs in, so ``fetch()`` hands the download to the
crawler's event loop running in another thread and waits for the response
(:func:`run_shell`, for the ``shell`` command). When the shell is opened from inside that
loop (``inspect_response()`` in a callback), there is no other thread to do the work, and
``fetch()`` is not offered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import warnings
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, TypeVar, cast

from itemadapter import is_item
from w3lib.url import any_to_uri

import ascrapy
from ascrapy import signals
from ascrapy.crawler import Crawler
from ascrapy.exceptions import IgnoreRequest, ScrapyDeprecationWarning
from ascrapy.http import Request, Response
from ascrapy.settings import Settings
from ascrapy.spiders import Spider
from ascrapy.utils.console import DEFAULT_PYTHON_SHELLS, start_python_console
from ascrapy.utils.datatypes import SequenceExclude
from ascrapy.utils.misc import load_object
from ascrapy.utils.project import get_config
from ascrapy.utils.response import open_in_browser

__all__ = ["Shell", "inspect_response"]

logger = logging.getLogger("scrapy.shell")

T = TypeVar("T")


def _loop_runs_in_this_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


class Shell:
    """The namespace of the console (``request``, ``response``, ``fetch``, ...) and its start."""

    relevant_classes: tuple[type, ...] = (Crawler, Spider, Request, Response, Settings)

    def __init__(
        self,
        crawler: Crawler,
        update_vars: Callable[[dict[str, Any]], None] | None = None,
        code: str | None = None,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
    ):
        self.crawler: Crawler = crawler
        self.update_vars: Callable[[dict[str, Any]], None] = update_vars or (lambda namespace: None)
        self.item_class: type = load_object(crawler.settings["DEFAULT_ITEM_CLASS"])
        self.spider: Spider | None = None
        self.code: str | None = code
        self.vars: dict[str, Any] = {}
        self._loop = loop
        # fetch() waits for the crawler's loop, so it needs that loop in another thread
        self._inthread: bool = loop is not None and not _loop_runs_in_this_thread(loop)

    @property
    def inthread(self) -> bool:
        warnings.warn(
            "Shell.inthread is deprecated, use Shell.fetch_available instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return self._inthread

    @property
    def fetch_available(self) -> bool:
        """Whether fetch() can be used."""
        return self._inthread

    def start(
        self,
        url: str | None = None,
        request: Request | None = None,
        response: Response | None = None,
        spider: Spider | None = None,
        redirect: bool = True,
    ) -> None:
        """Fill the namespace (fetching ``url`` or ``request`` first), then evaluate -c code or open the console."""
        if threading.current_thread() is threading.main_thread():
            # Ctrl-C in the console must not stop the crawler
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        if url:
            self.fetch(url, spider, redirect=redirect)
        elif request:
            self.fetch(request, spider)
        elif response:
            self.populate_vars(response, response.request, spider)
        else:
            self.populate_vars()
        if self.code:
            print(eval(self.code, globals(), self.vars))  # noqa: S307 - evaluating it is the point
            return
        start_python_console(self.vars, shells=self._preferred_shells(), banner=self.vars.pop("banner", ""))

    @staticmethod
    def _preferred_shells() -> list[str]:
        """SCRAPY_PYTHON_SHELL (comma-separated), else scrapy.cfg's [settings] shell, else all; python last."""
        chosen = os.environ.get("SCRAPY_PYTHON_SHELL")
        if chosen:
            shells = chosen.strip().lower().split(",")
        else:
            config = get_config()
            if config.has_option("settings", "shell"):
                shells = [config.get("settings", "shell").strip().lower()]
            else:
                shells = list(DEFAULT_PYTHON_SHELLS)
        return [*shells, "python"]

    # -- fetching --------------------------------------------------------------------------

    def fetch(
        self,
        request_or_url: Request | str,
        spider: Spider | None = None,
        redirect: bool = True,
        **kwargs: Any,
    ) -> None:
        """Download a URL or Request and make it the namespace's ``request`` and ``response``.

        By default redirects are followed and every other status is kept; ``redirect=False``
        keeps the 3xx response itself. Download errors are raised; an ignored request leaves
        ``response`` as None.
        """
        if isinstance(request_or_url, Request):
            request = request_or_url
        else:
            request = Request(any_to_uri(request_or_url), dont_filter=True, **kwargs)
            if redirect:
                request.meta["handle_httpstatus_list"] = SequenceExclude(range(300, 400))
            else:
                request.meta["handle_httpstatus_all"] = True
        if not self.fetch_available or self._loop is None:
            raise RuntimeError("fetch() needs the crawler's event loop running in another thread")
        response: Response | None = None
        with contextlib.suppress(IgnoreRequest):
            response = asyncio.run_coroutine_threadsafe(self._schedule(request, spider), self._loop).result()
        self.populate_vars(response, request, self.spider)

    async def _schedule(self, request: Request, spider: Spider | None) -> Response:
        """Download ``request`` through the downloader middlewares, in the crawler's loop.

        The engine logs the "Crawled (...)" line and sends response_received, as for any
        download.
        """
        if self.spider is None:
            await self._open_spider(spider)
        # As in Scrapy's shell, the request has a callback while it downloads: components that
        # read it (scrapy-poet's injection decides from its signature) find one.
        original = request.callback
        if original is None:
            request.callback = _shell_callback
        try:
            return await self.crawler.engine.download_async(request)
        finally:
            request.callback = original

    async def _open_spider(self, spider: Spider | None) -> None:
        """Open the spider in the engine; it stays open, since no crawl runs that would close it."""
        if spider is None:
            spider = self.crawler.spider or self.crawler._create_spider()
        self.crawler.spider = spider
        await self.crawler.engine.open_spider_async(spider)
        self.spider = spider

    # -- the namespace ----------------------------------------------------------------------

    def populate_vars(
        self,
        response: Response | None = None,
        request: Request | None = None,
        spider: Spider | None = None,
    ) -> None:
        self.vars["scrapy"] = ascrapy
        self.vars["ascrapy"] = ascrapy
        self.vars["crawler"] = self.crawler
        self.vars["item"] = self.item_class()
        self.vars["settings"] = self.crawler.settings
        self.vars["spider"] = spider
        self.vars["request"] = request
        self.vars["response"] = response
        if self.fetch_available:
            self.vars["fetch"] = self.fetch
        self.vars["view"] = open_in_browser
        self.vars["shelp"] = self.print_help
        self.update_vars(self.vars)
        if not self.code:
            self.vars["banner"] = self.get_help()

    def print_help(self) -> None:
        print(self.get_help())

    def get_help(self) -> str:
        lines = [
            "Available Scrapy objects:",
            "  scrapy     scrapy module (contains scrapy.Request, scrapy.Selector, etc)",
        ]
        lines.extend(f"  {name:<10} {value}" for name, value in sorted(self.vars.items()) if self._is_relevant(value))
        lines.append("Useful shortcuts:")
        if self.fetch_available:
            lines.append(
                "  fetch(url[, redirect=True]) "
                "Fetch URL and update local objects (by default, redirects are followed)"
            )
            lines.append("  fetch(req)                  Fetch a scrapy.Request and update local objects ")
        lines.append("  shelp()           Shell help (print this help)")
        lines.append("  view(response)    View response in a browser")
        return "".join(f"[s] {line}\n" for line in lines)

    def _is_relevant(self, value: Any) -> bool:
        return isinstance(value, self.relevant_classes) or is_item(value)


def _shell_callback(response: Response) -> Response:
    """The callback a shell's request carries while it downloads (it is never called)."""
    return response


def inspect_response(response: Response, spider: Spider) -> None:
    """Open a shell on ``response`` from a spider callback; the crawl waits until it is closed."""
    sigint_handler = signal.getsignal(signal.SIGINT)
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    try:
        # a running spider's crawler is a Crawler, which the shell drives itself
        Shell(cast(Crawler, spider.crawler), loop=loop).start(response=response, spider=spider)
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, sigint_handler)


class _BackgroundLoop:
    """An asyncio loop running in a daemon thread, for callers that block (a console)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="ascrapy-shell-loop", daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` in the loop and wait for its result (or exception)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def __enter__(self) -> _BackgroundLoop:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.run(self._cancel_leftovers())
        except Exception:
            logger.warning("Could not cancel the tasks left in the shell's event loop", exc_info=True)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()

    @staticmethod
    async def _cancel_leftovers() -> None:
        leftovers = asyncio.all_tasks() - {asyncio.current_task()}
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)
        await asyncio.get_running_loop().shutdown_asyncgens()


async def _open_engine(crawler: Crawler) -> None:
    from ascrapy.engine.engine import ExecutionEngine

    crawler._apply_settings()
    crawler.engine = ExecutionEngine(crawler)
    await crawler.signals.send_catch_log_async(signals.engine_started)


async def _close_engine(crawler: Crawler) -> None:
    """Release the downloader's connections and let extensions stop; the spider is not closed."""
    try:
        closing = crawler.engine.downloader.close()
        if closing is not None:
            await closing
    except Exception:
        logger.warning("Error closing the downloader", exc_info=True)
    await crawler.signals.send_catch_log_async(signals.engine_stopped)


def run_shell(
    crawler: Crawler,
    url: str | None = None,
    *,
    redirect: bool = True,
    code: str | None = None,
    update_vars: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """The ``shell`` command's console (or ``code``), fetching through ``crawler``'s engine.

    No crawl runs: the engine is opened in an event loop of its own, in a background
    thread, for ``fetch()`` to use, and closed when the console ends.
    """
    with _BackgroundLoop() as background:
        background.run(_open_engine(crawler))
        try:
            shell = Shell(crawler, update_vars=update_vars, code=code, loop=background.loop)
            shell.start(url=url, redirect=redirect)
        finally:
            background.run(_close_engine(crawler))
