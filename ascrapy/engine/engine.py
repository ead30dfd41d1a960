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
import contextvars
import inspect
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from ascrapy import signals
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
from ascrapy.utils.asyncio import LoopingCall
from ascrapy.utils.deprecate import argument_is_required
from ascrapy.utils.misc import load_object

if TYPE_CHECKING:
    from ascrapy.engine.interfaces import CrawlFrontier
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.engine")

SpiderClosedCallback = Callable[[Any], Awaitable[object] | object]

# The engine whose crawl the current task belongs to (the stream's tasks inherit it).
_crawling: contextvars.ContextVar[ExecutionEngine | None] = contextvars.ContextVar("crawling", default=None)


class _Slot:
    """An open spider's place in the engine (Scrapy's name): its scheduler, the requests
    downloaded outside the crawl's queue (``engine.download``), and the heartbeat that makes
    the frontier look at its scheduler and the idle spider again."""

    def __init__(self, close_if_idle: bool, nextcall: object, scheduler: CrawlFrontier) -> None:
        self.close_if_idle = close_if_idle
        self.nextcall = nextcall
        self.scheduler = scheduler
        self.inprogress: set[Request] = set()
        self.closing: asyncio.Future[None] | None = None
        self.heartbeat = LoopingCall(getattr(scheduler, "nudge", lambda: None))

    def add_request(self, request: Request) -> None:
        self.inprogress.add(request)

    def remove_request(self, request: Request) -> None:
        self.inprogress.discard(request)

    async def close(self) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()


class ExecutionEngine:
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
        self._slot: _Slot | None = None
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
        self._slot = _Slot(close_if_idle, None, frontier)
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
        marked = _crawling.set(self)  # inherited by every task the stream starts
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
        _crawling.reset(marked)
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

    # -- closing and stopping -------------------------------------------------------------

    def close_spider(self, spider: Spider | None = None, reason: str = "cancelled") -> asyncio.Future[None]:
        """Close the spider gracefully (no new request leaves the frontier; what is in flight
        finishes and the batches are written); a future done once it is closed."""
        if self.close_reason is None:
            self.close_reason = reason
        if self.frontier is not None:
            self.frontier.stop()
        return asyncio.ensure_future(self.close_spider_async(reason=reason))

    async def close_spider_async(self, *, reason: str = "cancelled") -> None:
        """Close the spider: the crawl drains, then every part closes in Scrapy's order, each
        failure logged without stopping the others; spider_closed_callback runs last."""
        if self.spider is None:
            raise RuntimeError("Spider not opened")
        slot = self._slot
        if slot is None:
            raise RuntimeError("Engine slot not assigned")
        if self.close_reason is None:
            self.close_reason = reason
        slot.scheduler.stop()  # the frontier
        if _crawling.get() is self:
            # Asked from within the crawl (start(), a callback, a pipeline): waiting here for
            # the crawl to drain would wait for the caller. It drains; the close follows.
            self._outside(self.close_spider_async(reason=reason))
            return
        if slot.closing is not None:
            await asyncio.shield(slot.closing)
            return
        slot.closing = asyncio.get_running_loop().create_future()
        crawl = self._crawl_task
        if crawl is not None and crawl is not asyncio.current_task() and not crawl.done():
            # The stream drains: in-flight work and batches finish (or it is cancelled by a
            # forced stop: the parts close all the same).
            await asyncio.wait([crawl])
        reason = self.close_reason
        try:
            await self._close_parts(slot, reason)
        finally:
            slot.closing.set_result(None)

    async def _close_parts(self, slot: _Slot, reason: str) -> None:
        spider = self.spider
        logger.info("Closing spider (%(reason)s)", {"reason": reason}, extra={"spider": spider})
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("Slot close failure", slot.close),
            ("Downloader close failure", lambda: self.downloader.close()),
            ("Scraper close failure", lambda: self.scraper.close_spider_async()),
            ("Dead letters close failure", self._close_dead_letters),
            ("Scheduler close failure", lambda: slot.scheduler.close(reason)),
        ]
        for message, step in steps:
            try:
                result = step()
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.error(message, exc_info=True, extra={"spider": spider})
        try:
            await self.signals.send_catch_log_async(signals.spider_closed, spider=spider, reason=reason)
        except Exception:
            logger.error("Error while sending spider_close signal", exc_info=True, extra={"spider": spider})
        try:
            closed = call_collector(self.crawler.stats, "close_spider", spider, reason=reason)
            if inspect.isawaitable(closed):  # a collector that writes elsewhere (Redis) finishes first
                await closed
        except Exception:
            logger.error("Stats close failure", exc_info=True, extra={"spider": spider})
        logger.info("Spider closed (%(reason)s)", {"reason": reason}, extra={"spider": spider})
        self._slot = None
        self.spider = None
        try:
            result = self._spider_closed_callback(spider)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.error("Error running spider_closed_callback", exc_info=True, extra={"spider": spider})

    def _close_dead_letters(self) -> None:
        if self._stream is not None and self._stream.dead_letters is not None:
            self._stream.dead_letters.close()

    async def stop_async(self) -> None:
        """Stop the engine: close the spider if it is open (gracefully), then engine_stopped."""
        if not self.running:
            raise RuntimeError("Engine not running")
        if _crawling.get() is self:  # from within the crawl: see close_spider_async
            if self.frontier is not None:
                self.frontier.stop()
            self._outside(self.stop_async())
            return
        self.running = False
        if self.spider is not None:
            await self.close_spider_async(reason="shutdown")
        await self.signals.send_catch_log_async(signals.engine_stopped)
        if self._closewait is not None and not self._closewait.done():
            self._closewait.set_result(None)

    def stop(self) -> asyncio.Future[None]:
        return asyncio.ensure_future(self.stop_async())

    def _outside(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` as a task that is not part of the crawl (its own context)."""
        task = asyncio.get_running_loop().create_task(work, context=contextvars.Context())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close_async(self, *, reason: str = "shutdown") -> None:
        """Stop if running, else close the open spider, else just the downloader."""
        if self.running:
            await self.stop_async()
        elif self.spider is not None:
            await self.close_spider_async(reason=reason)
        else:
            result = self.downloader.close()
            if inspect.isawaitable(result):
                await result

    def close(self) -> asyncio.Future[None]:
        return asyncio.ensure_future(self.close_async())

    async def _force_stop(self) -> None:
        """The crawl was cancelled (a second SIGTERM): no draining, but the parts still
        close, so that the store commits what was acknowledged and the stats are logged."""
        crawl = self._crawl_task
        if crawl is not None and not crawl.done():
            crawl.cancel()
            await asyncio.gather(crawl, return_exceptions=True)
        self.running = False
        slot = self._slot
        if slot is not None and self.spider is not None:
            if slot.closing is None:
                slot.closing = asyncio.get_running_loop().create_future()
                try:
                    await self._close_parts(slot, "shutdown")
                finally:
                    slot.closing.set_result(None)
            else:  # a graceful close was waiting for the crawl to drain: it goes on now
                await asyncio.shield(slot.closing)
        await self.signals.send_catch_log_async(signals.engine_stopped)

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


