"""``shell [url|file]``: the interactive scraping console (see ascrapy.shell).

The crawler's engine lives in an event loop of its own, in a background thread; the
console (or the ``-c`` expression) runs in the main thread and fetches through it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, ClassVar, TypeVar

from ascrapy import signals
from ascrapy.cli.base import ScrapyCommand
from ascrapy.http import Request
from ascrapy.utils.spider import DefaultSpider, spidercls_for_request
from ascrapy.utils.url import guess_scheme

T = TypeVar("T")


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
        with contextlib.suppress(Exception):
            self.run(self._cancel_leftovers())
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


class Command(ScrapyCommand):
    default_settings: ClassVar[dict[str, Any]] = {
        "DUPEFILTER_CLASS": "ascrapy.dupefilters.BaseDupeFilter",
        "LOGSTATS_INTERVAL": 0,
        "REMOTE_CONTROL_ENABLED": False,
    }

    def syntax(self) -> str:
        return "[url|file]"

    def short_desc(self) -> str:
        return "Interactive scraping console"

    def long_desc(self) -> str:
        return (
            "Interactive console for scraping the given url or file. "
            "Use ./file.html syntax or full path for local file."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-c", dest="code", help="evaluate the code in the shell, print the result and exit")
        parser.add_argument("--spider", dest="spider", help="use this spider")
        parser.add_argument(
            "--no-redirect",
            dest="no_redirect",
            action="store_true",
            default=False,
            help="do not handle HTTP 3xx status codes and print response as-is",
        )

    def update_vars(self, vars: dict[str, Any]) -> None:  # noqa: A002 - Scrapy's name
        """Override to add or change the objects of the shell's namespace."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        url = guess_scheme(args[0]) if args else None  # a local file becomes a file:// URL
        spider_loader = self.crawler_process.spider_loader
        spidercls: type = DefaultSpider
        if opts.spider:
            try:
                spidercls = spider_loader.load(opts.spider)
            except KeyError as exc:
                self.fail(f"{self.prog_name} shell: error: {exc.args[0] if exc.args else exc}")
                return
        elif url:
            spidercls = spidercls_for_request(spider_loader, Request(url), spidercls, log_multiple=True)

        # the shell drives the engine itself (no crawl runs), from the background loop
        crawler = self.crawler_process.create_crawler(spidercls)
        with _BackgroundLoop() as background:
            background.run(_open_engine(crawler))
            try:
                from ascrapy.shell import Shell  # the console machinery only when asked for

                shell = Shell(crawler, update_vars=self.update_vars, code=opts.code, loop=background.loop)
                shell.start(url=url, redirect=not opts.no_redirect)
            finally:
                background.run(_close_engine(crawler))


async def _open_engine(crawler: Any) -> None:
    crawler._apply_settings()
    create_engine = getattr(crawler, "_create_engine", None)
    if create_engine is not None:
        crawler.engine = create_engine()
    else:
        from ascrapy.engine.engine import ExecutionEngine

        crawler.engine = ExecutionEngine(crawler)
    await crawler.signals.send_catch_log_async(signals.engine_started)


async def _close_engine(crawler: Any) -> None:
    """Release the downloader's connections and let extensions stop; the spider is not closed."""
    with contextlib.suppress(Exception):
        await crawler.engine.downloader.close()
    await crawler.signals.send_catch_log_async(signals.engine_stopped)
