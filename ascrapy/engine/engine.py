"""The execution engine: one aiostream pipeline from the frontier to the item sinks.

    start() ─┐ (requests pushed, items merged)
    frontier ─> worker_pool(download + callback, CONCURRENT_REQUESTS) ─┐
                                                                      merged
                                            worker_pool(item pipelines, CONCURRENT_ITEMS)
                                                  into_sinks(feeds and batch pipelines)

Requests produced by callbacks go straight back into the frontier (pushing never blocks);
only items flow down the stream, so the loop cannot deadlock. Each request handed out is
acknowledged to the frontier once its callback is over and every item it produced has
landed (written by every batch sink, dropped, or dead-lettered): until then it is pending,
and a JOBDIR keeps it. The crawl is over when nothing is pending and spider_idle did not
keep it open; stopping ends the source and lets everything in flight drain.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator
from typing import Any

from ascrapy import signals
from ascrapy.engine.acks import Ticket, first, landed
from ascrapy.engine.downloader import Downloader
from ascrapy.engine.operators import (
    FlushSwitch,
    into_sinks,
    merged,
    pulled,
    worker_pool,
)
from ascrapy.engine.scheduler_adapter import build_frontier
from ascrapy.engine.scraper import Scraper
from ascrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from ascrapy.failure import Failure
from ascrapy.http import Request, Response, TextResponse
from ascrapy.logformatter import debug_line_is_off, log_formatted
from ascrapy.pipelines.batch import BatchWriter, DeadLetters, dead_letter_path

logger = logging.getLogger("scrapy.core.engine")


class ExecutionEngine:
    """Runs one spider's crawl (scrapy.core.engine.ExecutionEngine's surface)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.signals = crawler.signals
        self.logformatter = crawler.logformatter
        self.spider: Any = None
        self.running = False
        self.close_reason: str | None = None
        self.frontier = build_frontier(crawler)
        self.downloader = Downloader(crawler, self.frontier)
        self.scraper = Scraper(crawler, self.crawl)
        self._concurrency = max(self.settings.getint("CONCURRENT_REQUESTS"), 1)
        self._closed: asyncio.Future[None] | None = None
        self.dead_letters: DeadLetters | None = None
        self._flush = FlushSwitch()
        self._working = 0  # requests handed out whose callback has not finished

    @property
    def scheduler(self) -> Any:
        return self.frontier

    # -- scheduling -----------------------------------------------------------------------

    def crawl(self, request: Any) -> None:
        """Schedule ``request`` (request_scheduled, dupefilter, frontier)."""
        if self.spider is None:
            raise RuntimeError(f"No open spider to crawl: {request}")
        sig = self.signals
        if sig.has_receivers(signals.request_scheduled):
            for _, result in sig.send_catch_log(
                signals.request_scheduled, request=request, spider=self.spider, dont_log=IgnoreRequest
            ):
                if isinstance(result, Failure) and isinstance(result.value, IgnoreRequest):
                    return
        if not self.frontier.push(request) and sig.has_receivers(signals.request_dropped):
            sig.send_catch_log(signals.request_dropped, request=request, spider=self.spider)

    async def download_async(self, request: Any) -> Any:
        """Download ``request`` outside the crawl's queue (robots.txt, media, from callbacks):
        through the downloader middlewares and its slot's gate, as every download."""
        result = await self.downloader.fetch(request)
        if isinstance(result, Request):
            return await self.download_async(result)
        if result.request is None:
            result.request = request
        self._received(result)
        return result

    def _received(self, response: Any) -> None:
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

    def download(self, request: Any) -> Any:
        return asyncio.ensure_future(self.download_async(request))

    # -- lifecycle ------------------------------------------------------------------------

    async def open_spider_async(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        if self.spider is not None:
            raise RuntimeError(f"No free spider slot when opening {spider.name!r}")
        logger.info("Spider opened", extra={"spider": spider})
        self.spider = spider
        opened = self.frontier.open(spider)
        if inspect.isawaitable(opened):  # a scheduler of Scrapy's API may return one
            await opened
        self.frontier.on_idle = self._on_idle
        await self.scraper.open_spider()
        self.crawler.stats.open_spider(spider)
        await self.signals.send_catch_log_async(signals.spider_opened, spider=spider)

    open_spider = open_spider_async

    async def start_async(self) -> None:
        """Run the crawl to its end, then close the spider."""
        if self.running:
            raise RuntimeError("Engine already running")
        self.running = True
        self._closed = asyncio.get_running_loop().create_future()
        await self.signals.send_catch_log_async(signals.engine_started)
        try:
            start = await self.scraper.spidermw.process_start()
            await self._run_stream(start)
        finally:
            reason = self.close_reason or "finished"
            await self._close_spider(reason)
            self.running = False
            await self.signals.send_catch_log_async(signals.engine_stopped)
            if not self._closed.done():
                self._closed.set_result(None)

    start = start_async

    async def _run_stream(self, start: Any) -> None:
        settings = self.settings
        requests = pulled(self.frontier.pull) | worker_pool.pipe(self._process_request, self._concurrency)
        items = merged(self._start_items(start), requests)
        pipeline = items | worker_pool.pipe(
            self._process_item, max(settings.getint("CONCURRENT_ITEMS"), 1)
        ) | into_sinks.pipe(self._batch_sinks(), landed=landed, flush=self._flush, item_of=first)
        async with pipeline.stream() as streamer:
            async for _ in streamer:
                pass

    def _batch_sinks(self) -> list[Any]:
        """Every component with process_batch (batch pipelines in ITEM_PIPELINES order, then
        feeds), each wrapped in a writer that retries, counts and dead-letters."""
        components = [
            *getattr(self.scraper.itemproc, "middlewares", ()),
            *getattr(getattr(self.crawler, "extensions", None), "middlewares", ()),
        ]
        self.dead_letters = DeadLetters(dead_letter_path(self.settings, self.spider), self.crawler.stats)
        return [
            BatchWriter(component, self.crawler, self.dead_letters)
            for component in components
            if callable(getattr(component, "process_batch", None))
        ]

    async def _start_items(self, start: Any) -> AsyncIterator[tuple[Any, Any]]:
        """Consume start() lazily: the next start request is read when the frontier runs low."""
        frontier = self.frontier
        frontier.hold()
        try:
            iterator = aiter(start)
            while self.close_reason is None:
                await frontier.wait_for_room(self._concurrency)
                if self.close_reason is not None:
                    break
                element = await self._next_start(iterator)
                if element is _START_END:
                    break
                if isinstance(element, Request):
                    self.crawl(element)
                elif element is not None:
                    yield element, None, None
        finally:
            frontier.unhold()
            self._flush_when_stalled()

    async def _next_start(self, iterator: Any) -> Any:
        try:
            return await anext(iterator)
        except StopAsyncIteration:
            return _START_END
        except CloseSpider as error:
            self.close_spider(self.spider, error.reason or "cancelled")
            return _START_END
        except Exception as error:
            logger.error(
                "Error while reading start items and requests: %s", error, exc_info=True,
                extra={"spider": self.spider},
            )
            self.signals.send_catch_log(signals.spider_error, failure=Failure(error), response=None,
                                        spider=self.spider)
            self.crawler.stats.inc_value("spider_exceptions/count")
            self.crawler.stats.inc_value(f"spider_exceptions/{type(error).__name__}")
            return _START_END

    async def _process_request(self, request: Any) -> AsyncIterator[tuple[Any, Any, Ticket]]:
        """Download one request and run its callback; yield the items it produced, each with
        the request's ticket (the request is acknowledged when they have all landed)."""
        frontier = self.frontier
        ticket = Ticket(request, frontier.ack)
        result: Any = None
        self._working += 1
        self._flush.relax()
        try:
            try:
                result = await self.downloader.fetch(request)
            except Exception as error:
                result = Failure(error)
            frontier.release(request)  # also when a middleware answered without downloading
            if isinstance(result, Request):
                self.crawl(result)
                return
            if isinstance(result, Response):
                if result.request is None:
                    result.request = request
                self._received(result)
            async for item, response in self.scraper.scrape(result, request):
                ticket.open += 1
                yield item, response, ticket
        finally:
            self._working -= 1
            ticket.done()
            self._flush_when_stalled()
            if isinstance(result, TextResponse):
                # The cached selector refers back to its response: a cycle that keeps the page
                # and its parsed tree alive until a full garbage collection. Dropping it lets
                # the response go as soon as nothing else holds it (it is rebuilt if needed).
                result._cached_selector = None

    def _flush_when_stalled(self) -> None:
        """Nothing queued, no request being worked on: whatever is still pending waits for
        its items to land, so the batch stage should write its partial batches now."""
        frontier = self.frontier
        if not self._working and not frontier.queued and not frontier.holds and frontier.pending:
            self._flush.hurry()

    async def _process_item(self, element: tuple[Any, Any, Ticket | None]) -> tuple[Any, Ticket | None] | None:
        """Run one item through the item pipelines; a dropped or failed item has landed."""
        item, response, ticket = element
        output = await self.scraper.process_item((item, response))
        if output is None:
            if ticket is not None:
                ticket.done()
            return None
        return output, ticket

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

    def close_spider(self, spider: Any = None, reason: str = "cancelled") -> asyncio.Future[None]:
        """Stop the crawl gracefully: no new requests leave the frontier; in-flight work and
        batches finish. Returns a future that completes once the spider is closed."""
        if self.close_reason is None:
            self.close_reason = reason
        self.frontier.stop()
        if self._closed is None:
            self._closed = asyncio.get_event_loop().create_future()
        return self._closed

    async def close_spider_async(self, *, reason: str = "cancelled") -> None:
        await self.close_spider(self.spider, reason)

    async def _close_spider(self, reason: str) -> None:
        spider = self.spider
        logger.info("Closing spider (%(reason)s)", {"reason": reason}, extra={"spider": spider})
        steps = (
            ("downloader", self.downloader.close),
            ("item pipelines", self.scraper.close_spider),
        )
        for name, step in steps:
            try:
                await step()
            except Exception:
                logger.error("Error closing the %s", name, exc_info=True, extra={"spider": spider})
        if self.dead_letters is not None:
            self.dead_letters.close()
        try:
            closed = self.frontier.close(reason)
            if inspect.isawaitable(closed):
                await closed
        except Exception:
            logger.error("Scheduler close failure", exc_info=True, extra={"spider": spider})
        await self.signals.send_catch_log_async(signals.spider_closed, spider=spider, reason=reason)
        try:
            self.crawler.stats.close_spider(spider, reason=reason)
        except Exception:
            logger.error("Stats close failure", exc_info=True, extra={"spider": spider})
        logger.info("Spider closed (%(reason)s)", {"reason": reason}, extra={"spider": spider})
        self.spider = None

    @property
    def paused(self) -> bool:
        return self.frontier.paused

    def pause(self) -> None:
        """Stop sending new requests to the downloader until ``unpause``."""
        self.frontier.pause()

    def unpause(self) -> None:
        self.frontier.unpause()


_START_END = object()
