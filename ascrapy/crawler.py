"""Crawler, CrawlerRunner and CrawlerProcess (scrapy.crawler), on asyncio alone.

A Crawler owns one spider's run: its settings, signals, stats, extensions and engine.
Runners start crawlers as tasks in the running loop; CrawlerProcess also owns the loop and
the shutdown signals (first SIGINT/SIGTERM: stop gracefully; second: stop now).
"""

from __future__ import annotations

import asyncio
import logging
import pprint
import re
import warnings
from abc import ABC, abstractmethod
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from ascrapy import signals
from ascrapy.addons import AddonManager
from ascrapy.extension import ExtensionManager
from ascrapy.exceptions import CloseSpider, ScrapyDeprecationWarning
from ascrapy.redis.plugin import plugin_choice
from ascrapy.settings import SETTINGS_PRIORITIES, Settings, overridden_settings
from ascrapy.signalmanager import SignalManager
from ascrapy.spiderloader import get_spider_loader
from ascrapy.spiders import Spider
from ascrapy.utils.event_loop import event_loop_factory, freeze_startup_objects
from ascrapy.utils.late_attribute import LateAttribute
from ascrapy.utils.log import (
    configure_logging,
    get_scrapy_root_handler,
    install_scrapy_root_handler,
    log_scrapy_info,
)
from ascrapy.utils.misc import build_from_crawler, load_object
from ascrapy.utils.shutdown import GracefulShutdown
from ascrapy.utils.twisted_reactor import loop_for_crawl, stop_twisted_threads

if TYPE_CHECKING:
    from ascrapy.engine.engine import ExecutionEngine

_T = TypeVar("_T")

# Spider attributes of older Scrapy that 2.19 reads as settings (with a deprecation warning).
DEPRECATED_SPIDER_ATTRIBUTES = {
    "download_delay": "DOWNLOAD_DELAY",
    "max_concurrent_requests": "CONCURRENT_REQUESTS_PER_DOMAIN",
}

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

    engine: LateAttribute[ExecutionEngine] = LateAttribute()
    extensions: LateAttribute[ExtensionManager] = LateAttribute()
    logformatter: LateAttribute[Any] = LateAttribute()
    request_fingerprinter: LateAttribute[Any] = LateAttribute()
    stats: LateAttribute[Any] = LateAttribute()

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
        self.addons = AddonManager(self)
        self.signals = SignalManager(self)
        self.crawling = False
        self._started = False
        self.spider: Spider | None = None
        self._engine: ExecutionEngine | None = None
        self._extensions: ExtensionManager | None = None
        self._logformatter: Any = None
        self._request_fingerprinter: Any = None
        self._stats: Any = None

    def _update_root_log_handler(self) -> None:
        """The spider's settings (LOG_LEVEL, LOG_JSON, ...) apply to the root handler that
        CrawlerProcess installed, as in Scrapy."""
        if get_scrapy_root_handler() is not None:
            install_scrapy_root_handler(self.settings)

    def _apply_settings(self) -> None:
        if self.settings.frozen:
            return
        self.addons.load_settings(self.settings)
        for attribute, setting in DEPRECATED_SPIDER_ATTRIBUTES.items():
            self._apply_deprecated_spider_attr(attribute, setting)
        self.stats = load_object(self.settings["STATS_CLASS"])(self)
        self.request_fingerprinter = build_from_crawler(
            load_object(self.settings["REQUEST_FINGERPRINTER_CLASS"]), self
        )
        self.logformatter = build_from_crawler(load_object(self.settings["LOG_FORMATTER"]), self)
        self.extensions = ExtensionManager.from_crawler(self)
        self.settings.freeze()
        overridden = {name: hide_credentials(value) for name, value in overridden_settings(self.settings)}
        logger.info("Overridden settings:\n%(settings)s", {"settings": pprint.pformat(overridden)})

    def _apply_deprecated_spider_attr(self, attribute: str, setting: str) -> None:
        """A spider attribute of older Scrapy (``download_delay = 2``) becomes its setting at
        spider priority, with a deprecation warning; a setting already at spider priority or
        above wins, and the warning says the attribute is ignored."""
        owner = self.spider if self.spider is not None else self.spidercls
        if not hasattr(owner, attribute):
            return
        if (self.settings.getpriority(setting) or 0) >= SETTINGS_PRIORITIES["spider"]:
            warnings.warn(
                f"The {attribute!r} spider attribute is deprecated. It is also being ignored, since "
                f"{setting} is set at spider priority or above: remove the attribute.",
                ScrapyDeprecationWarning, stacklevel=3,
            )
            return
        warnings.warn(
            f"The {attribute!r} spider attribute is deprecated. Use the {setting} setting instead.",
            ScrapyDeprecationWarning, stacklevel=3,
        )
        self.settings.set(setting, getattr(owner, attribute), priority="spider")

    def crawl(self, *args: Any, **kwargs: Any) -> Awaitable[None]:
        """Create the spider and crawl until it closes; the result completes with the crawl.

        In a running loop the crawl starts at once (a Task, as Scrapy's Deferred), so callers
        may await it later or not at all; outside one it starts when awaited.
        """
        run = self._run("crawl", args, kwargs)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return run
        return asyncio.ensure_future(run)

    async def crawl_async(self, *args: Any, **kwargs: Any) -> None:
        """Create the spider and crawl until it closes."""
        await self._run("crawl_async", args, kwargs)

    async def _run(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if self.crawling:
            raise RuntimeError("Crawling already taking place")
        if self._started:
            raise RuntimeError(f"Cannot run Crawler.{method}() more than once on the same instance.")
        self.crawling = self._started = True
        try:
            with plugin_choice(self.settings):  # scrapy_redis.* class paths: ascrapy's or the plugin's
                self.spider = self._create_spider(*args, **kwargs)
                self._apply_settings()
                self._update_root_log_handler()
                self.engine = self._create_engine()
                try:
                    await self.engine.open_spider_async(self.spider)
                except CloseSpider as stop:
                    await self.engine.close_async(reason=stop.reason)
                else:
                    await self.engine.start_async()
        except Exception:
            if self._engine is not None and (self._engine.running or self._engine.spider is not None):
                await self._engine.close_async()
            raise
        finally:
            self.crawling = False

    def _create_spider(self, *args: Any, **kwargs: Any) -> Spider:
        return self.spidercls.from_crawler(self, *args, **kwargs)

    def _create_engine(self) -> ExecutionEngine:
        from ascrapy.engine.engine import ExecutionEngine  # noqa: PLC0415 - the engine imports much

        return ExecutionEngine(self, lambda _: self.stop_async())

    def stop(self) -> Awaitable[None]:
        """Deprecated (as in Scrapy 2.19): await stop_async() instead."""
        warnings.warn("Crawler.stop() is deprecated, use stop_async() instead", ScrapyDeprecationWarning,
                      stacklevel=2)
        return asyncio.ensure_future(self.stop_async())

    async def stop_async(self) -> None:
        """Stop gracefully (in-flight requests finish, items are flushed); complete when stopped."""
        if self.crawling:
            self.crawling = False
            if self._engine is not None and self._engine.running:
                await self._engine.stop_async()

    def get_addon(self, cls: type[_T]) -> _T | None:
        """The add-on of class ``cls`` (or a subclass) this crawler runs, if any."""
        return _get_component(cls, self.addons.addons)

    def get_extension(self, cls: type[_T]) -> _T | None:
        """The extension of class ``cls`` (or a subclass); from the crawl's start on."""
        if self._extensions is None:
            raise RuntimeError(
                "Crawler.get_extension() can only be called after the extension manager has been created."
            )
        return _get_component(cls, self._extensions.middlewares)

    def get_item_pipeline(self, cls: type[_T]) -> _T | None:
        """The item pipeline of class ``cls`` (or a subclass); once the engine exists."""
        return _get_component(cls, self._engine_part("get_item_pipeline").scraper.itemproc.middlewares)

    def get_downloader_middleware(self, cls: type[_T]) -> _T | None:
        """The downloader middleware of class ``cls`` (or a subclass); once the engine exists."""
        return _get_component(cls, self._engine_part("get_downloader_middleware").downloader.middleware.middlewares)

    def get_spider_middleware(self, cls: type[_T]) -> _T | None:
        """The spider middleware of class ``cls`` (or a subclass); once the engine exists."""
        return _get_component(cls, self._engine_part("get_spider_middleware").scraper.spidermw.middlewares)

    def _engine_part(self, method: str) -> ExecutionEngine:
        if self._engine is None:
            raise RuntimeError(f"Crawler.{method}() can only be called after the crawl engine has been created.")
        return self._engine


def _get_component(cls: type[_T], components: Any) -> _T | None:
    for component in components:
        if isinstance(component, cls):
            return component
    return None


class CrawlerRunnerBase(ABC):
    """What every runner shares: the settings, the spider loader, the crawlers it runs, and
    crawls as tasks of the running loop (started by ``join`` when none ran yet)."""

    def __init__(self, settings: dict[str, Any] | Settings | None = None) -> None:
        if settings is None or isinstance(settings, dict):
            settings = Settings(settings)
        AddonManager.load_pre_crawler_settings(settings)  # add-ons may add SPIDER_MODULES
        self.settings = settings
        self.spider_loader = get_spider_loader(settings)
        self._crawlers: set[Crawler] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: list[tuple[Crawler, tuple[Any, ...], dict[str, Any]]] = []
        self.bootstrap_failed = False

    @property
    def crawlers(self) -> set[Crawler]:
        """The crawlers started by crawl() that have not finished."""
        return self._crawlers

    def create_crawler(self, crawler_or_spidercls: Crawler | type[Spider] | str) -> Crawler:
        """A Crawler for a spider class or name; a Crawler given takes the runner's settings
        where its own are not set at the same priority or above."""
        _refuse_spider_object(crawler_or_spidercls)
        if isinstance(crawler_or_spidercls, Crawler):
            crawler_or_spidercls.settings.update(self.settings)
            return crawler_or_spidercls
        return self._create_crawler(crawler_or_spidercls)

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        if isinstance(spidercls, str):
            spidercls = self.spider_loader.load(spidercls)
        return Crawler(spidercls, self.settings)

    @abstractmethod
    def crawl(self, crawler_or_spidercls: Crawler | type[Spider] | str, *args: Any,
              **kwargs: Any) -> Awaitable[None] | None:
        """Start a crawl with spider arguments ``args`` and ``kwargs``."""

    def _schedule(self, crawler_or_spidercls: Crawler | type[Spider] | str, args: tuple[Any, ...],
                  kwargs: dict[str, Any]) -> asyncio.Task[None] | None:
        """A task in the running loop; without one, the crawl waits for ``join``."""
        _refuse_spider_object(crawler_or_spidercls)
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
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # logged by _run_crawler; awaiting the task raises it again

    async def _run_crawler(self, crawler: Crawler, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        failed = False
        try:
            await crawler.crawl_async(*args, **kwargs)
        except Exception:
            failed = True
            logger.critical("Crawl of %r failed", getattr(crawler.spidercls, "name", crawler.spidercls),
                            exc_info=True)
            raise
        finally:
            self._crawlers.discard(crawler)
            self.bootstrap_failed |= failed or crawler.spider is None

    async def _stop_all(self) -> None:
        await asyncio.gather(*(crawler.stop_async() for crawler in list(self._crawlers)))

    async def join(self) -> None:
        """Wait for every crawl started so far (and those they start) to finish."""
        for crawler, args, kwargs in self._pending:
            self._start(crawler, args, kwargs)
        self._pending.clear()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _refuse_spider_object(crawler_or_spidercls: Any) -> None:
    if isinstance(crawler_or_spidercls, Spider):
        raise ValueError(
            "The crawler_or_spidercls argument cannot be a spider object, "
            "it must be a spider class (or a Crawler object)"
        )


class CrawlerRunner(CrawlerRunnerBase):
    """Runs crawlers inside an asyncio loop that someone else runs (Scrapy's Deferred-based
    runner: here every result is an awaitable)."""

    def crawl(self, crawler_or_spidercls: Crawler | type[Spider] | str, *args: Any,
              **kwargs: Any) -> asyncio.Task[None] | None:
        """Start a crawl: a task when a loop runs, else it starts with ``join`` (or the process)."""
        return self._schedule(crawler_or_spidercls, args, kwargs)

    def stop(self) -> Awaitable[None]:
        """Stop every crawl gracefully; the result completes when they all have ended."""
        return asyncio.ensure_future(self._stop_all())


class AsyncCrawlerRunner(CrawlerRunnerBase):
    """Runs crawlers inside a running asyncio loop, with coroutine APIs."""

    def crawl(self, crawler_or_spidercls: Crawler | type[Spider] | str, *args: Any,
              **kwargs: Any) -> asyncio.Task[None] | None:
        """Start a crawl: a task when a loop runs, else it starts with ``join`` (or the process)."""
        return self._schedule(crawler_or_spidercls, args, kwargs)

    async def stop(self) -> None:
        """Stop every crawl gracefully; complete when they all have ended."""
        await self._stop_all()


class CrawlerProcessBase(CrawlerRunnerBase):
    """Owns the event loop: configures logging, runs the crawls, handles SIGINT/SIGTERM
    (see GracefulShutdown)."""

    def __init__(self, settings: dict[str, Any] | Settings | None = None,
                 install_root_handler: bool | None = None) -> None:
        super().__init__(settings)
        configure_logging(self.settings, install_root_handler)
        log_scrapy_info(self.settings)
        logger.debug("Using %s", _public_class_name(type(self)))
        self._shutdown = GracefulShutdown(self._stop_soon, self._force_stop, self.settings.getfloat("SHUTDOWN_TIMEOUT"))

    @property
    def stopped_by(self) -> int | None:
        """The first shutdown signal received (SIGINT, SIGTERM), if any."""
        return self._shutdown.stopped_by

    def create_crawler(self, crawler_or_spidercls: Crawler | type[Spider] | str) -> Crawler:
        crawler = super().create_crawler(crawler_or_spidercls)
        crawler.signals.connect(freeze_startup_objects, signal=signals.engine_started)
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
        if install_signal_handlers:
            self._shutdown.install()
        try:
            await self.join()
        finally:
            self._shutdown.uninstall()

    def _stop_soon(self) -> None:
        asyncio.ensure_future(self._stop_all())

    def _force_stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()


class CrawlerProcess(CrawlerProcessBase, CrawlerRunner):
    """The process of ``scrapy crawl`` when FORCE_CRAWLER_PROCESS is set or TWISTED_REACTOR
    is not the asyncio one (Scrapy's Deferred-based process; the same asyncio loop here)."""


class AsyncCrawlerProcess(CrawlerProcessBase, AsyncCrawlerRunner):
    """The process of ``scrapy crawl`` by default, with coroutine APIs."""


def _public_class_name(cls: type[Any]) -> str:
    """The first class of ``cls``'s ancestry that ascrapy defines: what the log names."""
    return next(c.__name__ for c in cls.__mro__ if c.__module__ == __name__)
