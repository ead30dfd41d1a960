"""Crawler, CrawlerRunner and CrawlerProcess (scrapy.crawler), on asyncio alone.

A Crawler owns one spider's run: its settings, signals, stats, extensions and engine.
Runners start crawlers as tasks in the running loop; CrawlerProcess also owns the loop and
the shutdown signals (first SIGINT/SIGTERM: stop gracefully; second: stop now).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import pprint
import re
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from ascrapy import signals
from ascrapy.addons import AddonManager
from ascrapy.extension import ExtensionManager
from ascrapy.redis.plugin import plugin_choice
from ascrapy.settings import Settings, overridden_settings
from ascrapy.signalmanager import SignalManager
from ascrapy.spiderloader import get_spider_loader
from ascrapy.spiders import Spider
from ascrapy.utils.log import (
    configure_logging,
    get_scrapy_root_handler,
    install_scrapy_root_handler,
    log_scrapy_info,
)
from ascrapy.utils.misc import build_from_crawler, load_object
from ascrapy.utils.twisted_reactor import loop_for_crawl, stop_twisted_threads

logger = logging.getLogger("scrapy.crawler")


_URI_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^@/\s]+@")


def hide_credentials(value: Any) -> Any:
    """A setting value as it may be logged: passwords in URIs (MONGO_URI, proxies) masked."""
    if isinstance(value, str):
        return _URI_PASSWORD.sub(r"\1***@", value)
    if isinstance(value, dict):
        return {key: hide_credentials(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(hide_credentials(item) for item in value)
    return value


class Crawler:
    """Runs one spider class with one set of settings, once."""

    def __init__(self, spidercls: type[Spider], settings: dict[str, Any] | Settings | None = None,
                 init_reactor: bool = False) -> None:
        if isinstance(spidercls, Spider):
            raise ValueError("The spidercls argument must be a class, not an object")
        if settings is None or isinstance(settings, dict):
            settings = Settings(settings)
        self.spidercls = spidercls
        self.settings: Settings = settings.copy()
        self.spidercls.update_settings(self.settings)
        self._update_root_log_handler()
        self.signals = SignalManager(self)
        self.crawling = False
        self._started = False
        self.spider: Spider | None = None
        self.engine: Any = None
        self.stats: Any = None
        self.extensions: Any = None
        self.logformatter: Any = None
        self.request_fingerprinter: Any = None
        self.addons: Any = None

    def _update_root_log_handler(self) -> None:
        """The spider's settings (LOG_LEVEL, LOG_JSON, ...) apply to the root handler that
        CrawlerProcess installed, as in Scrapy."""
        if get_scrapy_root_handler() is not None:
            install_scrapy_root_handler(self.settings)

    def _apply_settings(self) -> None:
        if self.settings.frozen:
            return
        self.addons = AddonManager(self)
        self.addons.load_settings(self.settings)
        self.stats = load_object(self.settings["STATS_CLASS"])(self)
        self.request_fingerprinter = build_from_crawler(
            load_object(self.settings["REQUEST_FINGERPRINTER_CLASS"]), self
        )
        self.logformatter = build_from_crawler(load_object(self.settings["LOG_FORMATTER"]), self)
        self.extensions = ExtensionManager.from_crawler(self)
        self.settings.freeze()
        overridden = {name: hide_credentials(value) for name, value in overridden_settings(self.settings)}
        logger.info("Overridden settings:\n%(settings)s", {"settings": pprint.pformat(overridden)})

    async def crawl(self, *args: Any, **kwargs: Any) -> None:
        """Create the spider, open it and crawl until the spider closes."""
        if self.crawling:
            raise RuntimeError("Crawling already taking place")
        if self._started:
            raise RuntimeError("Cannot run Crawler.crawl() more than once on the same instance.")
        self.crawling = self._started = True
        try:
            with plugin_choice(self.settings):  # scrapy_redis.* class paths: ascrapy's or the plugin's
                self.spider = self._create_spider(*args, **kwargs)
                self._apply_settings()
                self.engine = self._create_engine()
                await self.engine.open_spider_async(self.spider)
                await self.engine.start_async()
        finally:
            self.crawling = False

    crawl_async = crawl

    def _create_spider(self, *args: Any, **kwargs: Any) -> Spider:
        return self.spidercls.from_crawler(self, *args, **kwargs)

    def _create_engine(self) -> Any:
        """The engine of this crawl (Scrapy's name: plugins' test helpers build one this way)."""
        from ascrapy.engine.engine import ExecutionEngine

        return ExecutionEngine(self, lambda _: self.stop_async())

    def stop(self) -> Awaitable[None] | None:
        """Stop gracefully: in-flight requests finish and items are flushed."""
        if self.crawling and self.engine is not None and self.engine.running:
            return asyncio.ensure_future(self.stop_async())
        return None

    async def stop_async(self) -> None:
        """Stop the engine (when the spider closes, or asked to): the crawl ends."""
        if self.crawling:
            self.crawling = False
            if self.engine is not None and self.engine.running:
                await self.engine.stop_async()

    def get_extension(self, cls: type[Any]) -> Any:
        return _get_component(cls, getattr(self.extensions, "middlewares", ()))

    def get_item_pipeline(self, cls: type[Any]) -> Any:
        return _get_component(cls, self.engine.scraper.itemproc.middlewares if self.engine else ())

    def get_downloader_middleware(self, cls: type[Any]) -> Any:
        return _get_component(cls, self.engine.downloader.middleware.middlewares if self.engine else ())

    def get_spider_middleware(self, cls: type[Any]) -> Any:
        return _get_component(cls, self.engine.scraper.spidermw.middlewares if self.engine else ())


def _get_component(cls: type[Any], components: Any) -> Any:
    for component in components:
        if isinstance(component, cls):
            return component
    return None


def event_loop_factory(settings: Settings) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The loop for CrawlerProcess: ASYNCIO_EVENT_LOOP is a class path, "uvloop", "auto"
    (uvloop when installed) or None (asyncio's default loop)."""
    choice = settings.get("ASYNCIO_EVENT_LOOP")
    if not choice:
        return None
    if choice in ("auto", "uvloop", "uvloop.Loop"):
        try:
            import uvloop  # noqa: PLC0415
        except ImportError:
            if choice == "auto":
                return None
            raise
        return uvloop.new_event_loop
    loop_class = load_object(choice)
    return loop_class


class CrawlerRunner:
    """Runs crawlers inside an asyncio loop that someone else runs."""

    def __init__(self, settings: dict[str, Any] | Settings | None = None) -> None:
        if settings is None or isinstance(settings, dict):
            settings = Settings(settings)
        self.settings = settings
        AddonManager.load_pre_crawler_settings(settings)  # add-ons may add SPIDER_MODULES
        self.spider_loader = get_spider_loader(settings)
        self._crawlers: set[Crawler] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: list[tuple[Crawler, tuple[Any, ...], dict[str, Any]]] = []
        self.bootstrap_failed = False

    @property
    def crawlers(self) -> set[Crawler]:
        return self._crawlers

    def create_crawler(self, crawler_or_spidercls: Crawler | type[Spider] | str) -> Crawler:
        if isinstance(crawler_or_spidercls, Spider):
            raise ValueError(
                "The crawler_or_spidercls argument cannot be a spider object, "
                "it must be a spider class (or a Crawler object)"
            )
        if isinstance(crawler_or_spidercls, Crawler):
            return crawler_or_spidercls
        if isinstance(crawler_or_spidercls, str):
            spidercls = self.spider_loader.load(crawler_or_spidercls)
        else:
            spidercls = crawler_or_spidercls
        return Crawler(spidercls, self.settings)

    def crawl(self, crawler_or_spidercls: Crawler | type[Spider] | str, *args: Any,
              **kwargs: Any) -> asyncio.Task[None] | None:
        """Start a crawl: a task when a loop runs, else it starts with the process."""
        crawler = self.create_crawler(crawler_or_spidercls)
        self._crawlers.add(crawler)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._pending.append((crawler, args, kwargs))
            return None
        return self._start(crawler, args, kwargs)

    def _start(self, crawler: Crawler, args: tuple[Any, ...], kwargs: dict[str, Any]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(self._run_crawler(crawler, args, kwargs))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run_crawler(self, crawler: Crawler, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            await crawler.crawl(*args, **kwargs)
        except Exception:
            self.bootstrap_failed = True
            logger.critical("Crawl of %r failed", getattr(crawler.spidercls, "name", crawler.spidercls),
                            exc_info=True)
        finally:
            self._crawlers.discard(crawler)
            self.bootstrap_failed |= crawler.spider is None

    def stop(self) -> list[Any]:
        return [waiter for crawler in list(self._crawlers) if (waiter := crawler.stop()) is not None]

    async def join(self) -> None:
        """Wait for every crawl started so far (and those they start) to finish."""
        for crawler, args, kwargs in self._pending:
            self._start(crawler, args, kwargs)
        self._pending.clear()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


AsyncCrawlerRunner = CrawlerRunner


class CrawlerProcess(CrawlerRunner):
    """Owns the event loop: configures logging, runs the crawls, handles SIGINT/SIGTERM."""

    def __init__(self, settings: dict[str, Any] | Settings | None = None,
                 install_root_handler: bool | None = None) -> None:
        super().__init__(settings)
        configure_logging(self.settings, install_root_handler)
        log_scrapy_info(self.settings)
        self._signals_received = 0
        self.stopped_by: int | None = None  # the first shutdown signal received, if any
        self._forcing: asyncio.TimerHandle | None = None

    def create_crawler(self, crawler_or_spidercls: Crawler | type[Spider] | str) -> Crawler:
        crawler = super().create_crawler(crawler_or_spidercls)
        crawler.signals.connect(_freeze_startup_objects, signal=signals.engine_started)
        return crawler

    def start(self, stop_after_crawl: bool = True, install_signal_handlers: bool = True) -> None:
        """Run every scheduled crawl to its end (blocks), on uvloop when ASYNCIO_EVENT_LOOP
        names it (or "auto" finds it installed); on the loop of Twisted's reactor if some code
        installed it before (ascrapy.utils.twisted_reactor)."""
        twisted_loop = loop_for_crawl()
        factory = (lambda: twisted_loop) if twisted_loop is not None else event_loop_factory(self.settings)
        with asyncio.Runner(loop_factory=factory) as runner:
            try:
                runner.run(self._main(install_signal_handlers))
            finally:
                stop_twisted_threads()

    async def _main(self, install_signal_handlers: bool) -> None:
        loop = asyncio.get_running_loop()
        if install_signal_handlers:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_signal, signum)
        try:
            await self.join()
        finally:
            if self._forcing is not None:
                self._forcing.cancel()
                self._forcing = None
            if install_signal_handlers:
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(signum)

    def _on_signal(self, signum: int) -> None:
        name = signal.Signals(signum).name
        self._signals_received += 1
        if self._signals_received == 1:
            self.stopped_by = signum
            logger.info("Received %(signame)s, shutting down gracefully. Send again to force",
                        {"signame": name})
            self.stop()
            timeout = self.settings.getfloat("SHUTDOWN_TIMEOUT")
            if timeout > 0:
                self._forcing = asyncio.get_running_loop().call_later(timeout, self._on_shutdown_timeout, timeout)
        else:
            logger.info("Received %(signame)s twice, forcing unclean shutdown", {"signame": name})
            self._force_stop()

    def _on_shutdown_timeout(self, timeout: float) -> None:
        logger.warning("Graceful shutdown still running after SHUTDOWN_TIMEOUT (%(timeout)s s), "
                       "forcing unclean shutdown", {"timeout": timeout})
        self._force_stop()

    def _force_stop(self) -> None:
        if self._forcing is not None:
            self._forcing.cancel()
            self._forcing = None
        for task in list(self._tasks):
            task.cancel()


_frozen = False


def _freeze_startup_objects() -> None:
    """Hide what exists when the first crawl starts (modules, settings, components: they
    live as long as the process) from the cyclic garbage collector, as pre-forking servers
    do: each full collection during the crawl then walks only the crawl's own objects.
    Done where the process is ascrapy's (CrawlerProcess), not in a CrawlerRunner's host,
    and once: a later crawl's start would also freeze the objects of crawls still running,
    which would then never be collected."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


AsyncCrawlerProcess = CrawlerProcess
