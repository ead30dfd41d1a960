"""The execution engine: opens a spider, runs its crawl, closes it, as Scrapy's engine does.

    ExecutionEngine(crawler, spider_closed_callback)
      open_spider_async()   the frontier (SCHEDULER), its store, the pipelines, spider_opened
      start_async()         the crawl runs as one stream (engine.stream) from start() and the
                            frontier to the item sinks; returns once the engine is stopped
      close_spider_async()  no new requests; what is in flight and the batches finish; then the
                            parts close in Scrapy's order and spider_closed_callback runs
      stop_async()          closes the spider if open, sends engine_stopped

Every download passes the downloader's slots (engine.politeness), also ``download_async``
for robots.txt, media and callbacks. Requests are acknowledged to the frontier only when
their items have landed (engine.acks), which is what makes JOBDIR survive a kill -9.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.engine.closing import ClosingEngine, EngineSlot, crawling
from ascrapy.engine.scheduler import BaseScheduler
from ascrapy.engine.scheduler_adapter import build_frontier
from ascrapy.engine.scraper import Scraper
from ascrapy.engine.start import StartReader
from ascrapy.engine.stream import CrawlStream
from ascrapy.exceptions import (
    CloseSpider,
    DontCloseSpider,
    IgnoreRequest,
    ScrapyDeprecationWarning,
)
from ascrapy.failure import Failure
from ascrapy.http import Request, Response
from ascrapy.logformatter import debug_line_is_off, log_formatted
from ascrapy.stats import call_collector
from ascrapy.utils.deprecate import argument_is_required
from ascrapy.utils.misc import load_object

if TYPE_CHECKING:
    from ascrapy.engine.interfaces import CrawlFrontier
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.engine")

SpiderClosedCallback = Callable[[Any], Awaitable[object] | object]
_Slot = EngineSlot  # Scrapy's name for it (its tests build one)

class ExecutionEngine(ClosingEngine):
    """Runs one spider's crawl (scrapy.core.engine.ExecutionEngine's surface).

    ``start_async`` runs the crawl and returns once the engine is stopped: the spider closes
    when the crawl is over (or is closed), then ``spider_closed_callback(spider)`` runs, and
    the crawler's callback stops the engine.
    """

    _SLOT_HEARTBEAT_INTERVAL = 5.0

    def __init__(self, crawler: CrawlerProtocol, spider_closed_callback: SpiderClosedCallback | None = None) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.signals = crawler.signals
        self.logformatter = crawler.logformatter
        self.spider: Spider | None = None
        self.running = False
        self.paused = False
        self.close_reason: str | None = None
        self._spider_closed_callback = spider_closed_callback or (lambda _: None)
        scheduler_class = load_object(self.settings["SCHEDULER"])
        if not issubclass(scheduler_class, BaseScheduler):
            raise TypeError(
                f"The provided scheduler class ({self.settings['SCHEDULER']}) does not fully "
                "implement the scheduler interface"
            )
        self.downloader = load_object(self.settings["DOWNLOADER"])(crawler)
        self._downloader_fetch_needs_spider = argument_is_required(self.downloader.fetch, "spider")
        if self._downloader_fetch_needs_spider:
            warnings.warn(
                f"The fetch() method of {type(self.downloader).__name__} requires a spider argument, "
                "this is deprecated and the argument will not be passed in future Scrapy versions.",
                ScrapyDeprecationWarning, stacklevel=2,
            )
        self.scraper = Scraper(crawler, self.crawl)
        self.frontier: CrawlFrontier | None = None
        self._slot: EngineSlot | None = None
        self._start: Any = None
        self._concurrency = max(self.settings.getint("CONCURRENT_REQUESTS"), 1)
        self._closewait: asyncio.Future[None] | None = None
        self._crawl_task: asyncio.Task[None] | None = None
        self._crawl_error: BaseException | None = None
        self._start_reader: StartReader | None = None
        self._stream: CrawlStream | None = None
        self._background: set[asyncio.Task[None]] = set()

    @property
    def scheduler(self) -> CrawlFrontier | None:
        return self.frontier

    # -- scheduling -----------------------------------------------------------------------

    def crawl(self, request: Request) -> None:
        """Schedule ``request`` (request_scheduled, dupefilter, frontier)."""
        if self.spider is None:
            raise RuntimeError(f"No open spider to crawl: {request}")
        self._schedule_request(request)

    def _schedule_request(self, request: Request) -> None:
        sig = self.signals
        if sig.has_receivers(signals.request_scheduled):
            for _, result in sig.send_catch_log(
                signals.request_scheduled, request=request, spider=self.spider, dont_log=IgnoreRequest
            ):
                if isinstance(result, Failure) and isinstance(result.value, IgnoreRequest):
                    return
        assert self._slot is not None
        if not self._slot.scheduler.enqueue_request(request) and sig.has_receivers(signals.request_dropped):
            sig.send_catch_log(signals.request_dropped, request=request, spider=self.spider)

    async def fetch(self, request: Request) -> Response | Request:
        """The downloader's Response or Request for ``request`` (its fetch may be sync)."""
        fetch = self.downloader.fetch
        result = fetch(request, self.spider) if self._downloader_fetch_needs_spider else fetch(request)
        if inspect.isawaitable(result):
            result = await result
        if not isinstance(result, (Response, Request)):
            raise TypeError(f"Incorrect type: expected Response or Request, got {type(result)}: {result!r}")
        return result

    async def download_async(self, request: Request) -> Response:
        """Download ``request`` outside the crawl's queue (robots.txt, media, from callbacks):
        through the downloader middlewares and its slot's gate, as every download; a
        redirect the middlewares return is followed."""
        if self.spider is None:
            raise RuntimeError(f"No open spider to crawl: {request}")
        while True:
            slot = self._slot
            assert slot is not None
            slot.add_request(request)
            try:
                result = await self.fetch(request)
            finally:
                slot.remove_request(request)
            if not isinstance(result, Request):
                break
            request = result
        if result.request is None:
            result.request = request
        self.received(result)
        return result

    def download(self, request: Request) -> asyncio.Future[Response]:
        """Deprecated in Scrapy for download_async: a future of the response."""
        warnings.warn("ExecutionEngine.download() is deprecated, use download_async() instead",
                      ScrapyDeprecationWarning, stacklevel=2)
        return asyncio.ensure_future(self.download_async(request))

    def received(self, response: Response) -> None:
        """Log "Crawled (200) ..." and send response_received, for every downloaded response."""
        if not debug_line_is_off(self.logformatter, "crawled", logger):
            log_formatted(
                logger, self.logformatter.crawled(response.request, response, self.spider),
                extra={"spider": self.spider},
            )
        if self.signals.has_receivers(signals.response_received):
            self.signals.send_catch_log(
                signals.response_received, response=response, request=response.request, spider=self.spider
            )

    # -- opening and running --------------------------------------------------------------

    async def open_spider_async(self, spider: Spider | None = None, *, close_if_idle: bool = True) -> None:
        spider = spider or self.crawler.spider
        if spider is None:
            raise RuntimeError("No spider to open: the crawler has not created it")
        if self._slot is not None:
            raise RuntimeError(f"No free spider slot when opening {spider.name!r}")
        logger.info("Spider opened", extra={"spider": spider})
        self.spider = spider
        self.frontier = frontier = build_frontier(self.crawler, getattr(self.downloader, "politeness", None))
        self._slot = EngineSlot(close_if_idle, None, frontier)
        stop: CloseSpider | None = None
        try:
            opened = frontier.open(spider)
            if inspect.isawaitable(opened):  # a scheduler of Scrapy's API may return one
                await opened
            frontier.on_idle = self._on_idle
            frontier.on_empty = self._scheduler_empty
            try:
                await self.scraper.open_spider()
            except CloseSpider as error:  # a pipeline's open_spider asked to close
                stop = error
            call_collector(self.crawler.stats, "open_spider", spider)
            for _, result in await self.signals.send_catch_log_async(
                signals.spider_opened, spider=spider, dont_log=CloseSpider
            ):
                outcome = result.value if isinstance(result, Failure) else result
                if isinstance(outcome, CloseSpider) and stop is None:
                    stop = outcome
        except BaseException:
            self._slot = None
            self.spider = None
            raise
        if stop is not None:
            self.close_reason = stop.reason or "cancelled"

    open_spider = open_spider_async

    async def start_async(self) -> None:
        """Run the crawl; return once the engine is stopped (see the class docstring)."""
        if self.running:
            raise RuntimeError("Engine already running")
        self.running = True
        self._closewait = asyncio.get_running_loop().create_future()
        await self.signals.send_catch_log_async(signals.engine_started)
        if self._slot is not None:
            self._slot.heartbeat.start(self._SLOT_HEARTBEAT_INTERVAL, now=False)
            self._crawl_task = asyncio.ensure_future(self._crawl())
        try:
            await asyncio.shield(self._closewait)
        except asyncio.CancelledError:
            await self._force_stop()
            raise
        if self._crawl_error is not None:
            raise self._crawl_error

    start = start_async

    async def _crawl(self) -> None:
        """The crawl's stream from start() and the frontier to the sinks, then the close."""
        marked = crawling.set(self)  # inherited by every task the stream starts
        try:
            if self.close_reason is None:  # not closed while it opened
                stream = CrawlStream(self)
                read_ahead = max(self._concurrency, self.settings.getint("SCHEDULER_MEMORY_BUDGET", 20000))
                reader = self._start_reader = StartReader(self, stream.frontier, read_ahead,
                                                          stream.flush_when_stalled)
                self._stream = stream
                await stream.run(reader.items(self.scraper.spidermw.process_start))
        except Exception as error:  # an engine bug: close, then let start_async raise it
            self._crawl_error = error
            logger.error("Engine bug: the crawl's stream failed", exc_info=True, extra={"spider": self.spider})
        crawling.reset(marked)
        if self._slot is not None and self._slot.closing is None:
            await self.close_spider_async(reason=self._finish_reason())

    def _finish_reason(self) -> str:
        if self.close_reason is not None:
            return self.close_reason
        if self._crawl_error is not None:
            return "shutdown"
        return "start_error" if self._start_reader is not None and self._start_reader.failed else "finished"

    def _scheduler_empty(self) -> None:
        if self.signals.has_receivers(signals.scheduler_empty):
            self.signals.send_catch_log(signals.scheduler_empty)

    async def _on_idle(self) -> bool:
        """Send spider_idle; True when a handler raised DontCloseSpider."""
        keep_open = False
        for _, result in self.signals.send_catch_log(
            signals.spider_idle, spider=self.spider, dont_log=(DontCloseSpider, CloseSpider)
        ):
            if isinstance(result, Failure):
                if isinstance(result.value, DontCloseSpider):
                    keep_open = True
                elif isinstance(result.value, CloseSpider):
                    self.close_reason = self.close_reason or result.value.reason or "cancelled"
        return keep_open and self.close_reason is None

    def needs_backout(self) -> bool:
        """Whether no more requests can be sent now (for spiders that read their start
        lazily, as in Scrapy's documentation: wait for scheduler_empty while it says so)."""
        return (
            not self.running
            or self._slot is None
            or self._slot.closing is not None
            or self.downloader.needs_backout()
        )

    def spider_is_idle(self) -> bool:
        """Nothing queued, downloading or being processed."""
        if self._slot is None:
            raise RuntimeError("Engine slot not assigned")
        return not self._slot.scheduler.pending and not self._slot.inprogress

    def pause(self) -> None:
        """Stop sending new requests to the downloader until ``unpause``."""
        self.paused = True
        if self.frontier is not None:
            self.frontier.pause()

    def unpause(self) -> None:
        self.paused = False
        if self.frontier is not None:
            self.frontier.unpause()


