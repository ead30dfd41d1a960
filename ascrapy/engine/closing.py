"""How the engine closes a spider and stops: Scrapy's order, nothing left half open.

A graceful close (``close_spider``, a finished crawl, the first SIGTERM) stops the frontier,
lets the crawl's stream drain (what is in flight finishes, the batches are written), then
closes the parts in Scrapy's order: the engine's slot, the downloader, the scraper (its
pipelines), the dead-letter file, the frontier (its store commits what was acknowledged);
then spider_closed is sent, the stats are closed, and spider_closed_callback runs. A part
that fails to close is logged under Scrapy's message ("Downloader close failure", ...) and
the next one still closes. A forced stop (a second signal) cancels the stream instead of
draining it; the parts close all the same.

A close asked from within the crawl (a callback, a pipeline, start()) cannot wait for the
crawl to drain, since it is part of it: it runs as a task outside the crawl.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.stats import call_collector
from ascrapy.utils.asyncio import LoopingCall

if TYPE_CHECKING:
    from ascrapy.engine.interfaces import CrawlFrontier
    from ascrapy.engine.scraper import Scraper
    from ascrapy.engine.stream import CrawlStream
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.signalmanager import SignalManager
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.engine")

# The engine whose crawl the current task belongs to (the stream's tasks inherit it).
crawling: contextvars.ContextVar[ClosingEngine | None] = contextvars.ContextVar("crawling", default=None)

CloseStep = tuple[str, Callable[[], object]]


async def close_each(steps: Iterable[CloseStep], spider: Spider | None) -> None:
    """Run each step in order (awaiting what it returns); a failure is logged with the
    step's message and the next step still runs."""
    for message, step in steps:
        try:
            result = step()
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.error(message, exc_info=True, extra={"spider": spider})


class EngineSlot:
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


class ClosingEngine:
    """The closing and stopping half of ExecutionEngine (engine.py builds the rest)."""

    crawler: CrawlerProtocol
    signals: SignalManager
    spider: Spider | None
    running: bool
    close_reason: str | None
    frontier: CrawlFrontier | None
    downloader: Any
    scraper: Scraper
    _slot: EngineSlot | None
    _spider_closed_callback: Callable[[Any], object]
    _closewait: asyncio.Future[None] | None
    _crawl_task: asyncio.Task[None] | None
    _stream: CrawlStream | None
    _background: set[asyncio.Task[None]]

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
        if crawling.get() is self:
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

    async def _close_parts(self, slot: EngineSlot, reason: str) -> None:
        spider = self.spider
        logger.info("Closing spider (%(reason)s)", {"reason": reason}, extra={"spider": spider})
        await close_each([
            ("Slot close failure", slot.close),
            ("Downloader close failure", lambda: self.downloader.close()),
            ("Scraper close failure", lambda: self.scraper.close_spider_async()),
            ("Dead letters close failure", self._close_dead_letters),
            ("Scheduler close failure", lambda: slot.scheduler.close(reason)),
            ("Error while sending spider_close signal",
             lambda: self.signals.send_catch_log_async(signals.spider_closed, spider=spider, reason=reason)),
            # a collector that writes elsewhere (Redis) returns what to wait for
            ("Stats close failure", lambda: call_collector(self.crawler.stats, "close_spider", spider, reason=reason)),
        ], spider)
        logger.info("Spider closed (%(reason)s)", {"reason": reason}, extra={"spider": spider})
        self._slot = None
        self.spider = None
        await close_each([("Error running spider_closed_callback", lambda: self._spider_closed_callback(spider))],
                         spider)

    def _close_dead_letters(self) -> None:
        if self._stream is not None and self._stream.dead_letters is not None:
            self._stream.dead_letters.close()

    async def stop_async(self) -> None:
        """Stop the engine: close the spider if it is open (gracefully), then engine_stopped."""
        if not self.running:
            raise RuntimeError("Engine not running")
        if crawling.get() is self:  # from within the crawl: see close_spider_async
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
