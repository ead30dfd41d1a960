"""The crawl as one aiostream pipeline, from the frontier and start() to the item sinks.

    start() ─┐ (requests pushed, items merged)
    frontier ─> worker_pool(download + callback, CONCURRENT_REQUESTS) ─┐
                                                                      merged
                                            worker_pool(item pipelines, CONCURRENT_ITEMS)
                                                  into_sinks(feeds and batch pipelines)

Requests produced by callbacks go straight back into the frontier (pushing never blocks);
only items flow down the stream, so the loop cannot deadlock. Each request handed out gets
a Ticket (engine.acks): it is acknowledged once its callback is over and every item it
produced has landed. The stream ends when the frontier's ``pull`` says the crawl is over
(nothing pending) or stopped; what is in flight then drains.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ascrapy.engine.acks import Ticket, current_request, first, landed
from ascrapy.engine.operators import (
    BatchSink,
    FlushSwitch,
    into_sinks,
    merged,
    pulled,
    worker_pool,
)
from ascrapy.failure import Failure
from ascrapy.http import Request, Response, TextResponse
from ascrapy.pipelines.batch import DEAD_LETTER_ERROR, BatchWriter, DeadLetters, dead_letter_path

if TYPE_CHECKING:
    from ascrapy.engine.engine import ExecutionEngine


class CrawlStream:
    """One spider's crawl through the engine's stages (see the module docstring)."""

    def __init__(self, engine: ExecutionEngine) -> None:
        self.engine = engine
        frontier = engine.frontier
        assert frontier is not None  # the stream runs once the spider is open
        self.frontier = frontier
        self.scraper = engine.scraper
        self.crawler = engine.crawler
        self.dead_letters: DeadLetters | None = None
        self._flush = FlushSwitch()
        self._working = 0  # requests handed out whose callback has not finished

    async def run(self, start_items: AsyncIterator[Any]) -> None:
        settings = self.crawler.settings
        concurrency = max(settings.getint("CONCURRENT_REQUESTS"), 1)
        requests = pulled(self.frontier.pull) | worker_pool.pipe(self._process_request, concurrency)
        items = merged(start_items, requests)
        pipeline = items | worker_pool.pipe(
            self._process_item, max(settings.getint("CONCURRENT_ITEMS"), 1)
        ) | into_sinks.pipe(self._batch_sinks(), landed=landed, flush=self._flush, item_of=first)
        async with pipeline.stream() as streamer:
            async for _ in streamer:
                pass

    def _batch_sinks(self) -> list[BatchSink]:
        """Every component with process_batch (batch pipelines in ITEM_PIPELINES order, then
        feeds), each wrapped in a writer that retries, counts and dead-letters."""
        components = [
            *getattr(self.scraper.itemproc, "middlewares", ()),
            *getattr(getattr(self.crawler, "extensions", None), "middlewares", ()),
        ]
        path = dead_letter_path(self.crawler.settings, self.engine.spider)
        self.dead_letters = DeadLetters(path, self.crawler.stats, on_error=self._dead_letters_failed)
        return [
            BatchWriter(component, self.crawler, self.dead_letters)
            for component in components
            if callable(getattr(component, "process_batch", None))
        ]

    def _dead_letters_failed(self) -> None:
        """Items can no longer be kept: stop the crawl, and say so whatever else ended it."""
        engine = self.engine
        engine.close_reason = DEAD_LETTER_ERROR
        engine.close_spider(reason=DEAD_LETTER_ERROR)

    async def _process_request(self, request: Request) -> AsyncIterator[tuple[Any, Response, Ticket]]:
        """Download one request and run its callback; yield the items it produced, each with
        the request's ticket (the request is acknowledged when they have all landed)."""
        frontier = self.frontier
        ticket = Ticket(request, frontier.ack)
        result: Any = None
        self._working += 1
        self._flush.relax()
        working_on = current_request.set(request)
        try:
            try:
                result = await self.engine.fetch(request)
            except Exception as error:
                result = Failure(error)
            frontier.release(request)  # also when a middleware answered without downloading
            if isinstance(result, Request):
                self.engine.crawl(result)
                return
            if isinstance(result, Response):
                if result.request is None:
                    result.request = request
                self.engine.received(result)
            async for item, response in self.scraper.scrape(result, request):
                ticket.open += 1
                yield item, response, ticket
        finally:
            current_request.reset(working_on)
            self._working -= 1
            ticket.done()
            self.flush_when_stalled()
            if isinstance(result, TextResponse):
                # The cached selector refers back to its response: a cycle that keeps the page
                # and its parsed tree alive until a full garbage collection. Dropping it lets
                # the response go as soon as nothing else holds it (it is rebuilt if needed).
                result._cached_selector = None

    def flush_when_stalled(self) -> None:
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
