"""Reading the spider's start(): lazily, and with Scrapy's answers to what can go wrong.

As in Scrapy, a start request goes out at once while the downloader has room, and start()
is read on while the downloader is busy, so that what it yields is ordered
by priority with the rest of the queue. Unlike Scrapy, reading pauses while the frontier
holds SCHEDULER_MEMORY_BUDGET queued requests: a spider that yields millions of start URLs
does not queue them all at once. Items it yields go down the stream; requests go to the
frontier.

- start() that is not an async generator, or that raises: logged as Scrapy logs it,
  spider_error sent, counted, and the crawl closes with ``start_error`` once the requests
  already read are done.
- CloseSpider from start(): the crawl closes with its reason.
- A start request the engine cannot schedule (a fingerprinter that raises): logged
  ("Error while processing requests from start()") and the crawl shuts down.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import CloseSpider
from ascrapy.failure import Failure
from ascrapy.http import Request

if TYPE_CHECKING:
    from ascrapy.engine.acks import Ticket
    from ascrapy.engine.engine import ExecutionEngine
    from ascrapy.engine.interfaces import CrawlFrontier

logger = logging.getLogger("scrapy.core.engine")

_END = object()


class StartReader:
    """Feeds start()'s requests to the frontier and yields its items, lazily."""

    def __init__(self, engine: ExecutionEngine, frontier: CrawlFrontier, room: int, stalled: Callable[[], None]) -> None:
        self.engine = engine
        self.frontier = frontier
        self.room = room
        self.stalled = stalled
        self.failed = False  # the crawl then finishes as "start_error"

    async def items(self, make_start: Callable[[], Any]) -> AsyncIterator[tuple[Any, None, Ticket | None]]:
        """start()'s items as stream elements; its requests go to ``engine.crawl``."""
        engine, frontier = self.engine, self.frontier
        frontier.hold()
        try:
            iterator = await self._open(make_start)
            while iterator is not None and engine.close_reason is None:
                await frontier.wait_for_room(self.room)
                if engine.close_reason is not None:
                    break
                element = await self._next(iterator)
                if element is _END:
                    break
                if isinstance(element, Request):
                    queued = frontier.queued
                    if not self._schedule(element):
                        break
                    if not engine.needs_backout():
                        # Room to send it: it goes out before start() is read on.
                        await frontier.wait_for_room(queued + 1)
                elif element is not None:
                    yield element, None, None
        finally:
            frontier.unhold()
            self.stalled()

    async def _open(self, make_start: Callable[[], Any]) -> AsyncIterator[Any] | None:
        try:
            start: AsyncIterable[Any] = await make_start()
            return aiter(start)
        except Exception as error:  # start() is not an async generator, or a middleware failed
            self._failed(error)
            return None

    async def _next(self, iterator: AsyncIterator[Any]) -> Any:
        try:
            return await anext(iterator)
        except StopAsyncIteration:
            return _END
        except CloseSpider as error:
            self.engine.close_spider(self.engine.spider, error.reason or "cancelled")
            return _END
        except Exception as error:
            self._failed(error)
            return _END

    def _schedule(self, request: Request) -> bool:
        try:
            self.engine.crawl(request)
        except Exception:
            logger.error("Error while processing requests from start()", exc_info=True,
                         extra={"spider": self.engine.spider})
            self.engine.close_spider(self.engine.spider, "shutdown")
            return False
        return True

    def _failed(self, error: Exception) -> None:
        engine = self.engine
        logger.error("Error while reading start items and requests: %s", error, exc_info=True,
                     extra={"spider": engine.spider})
        engine.signals.send_catch_log(signals.spider_error, failure=Failure(error), response=None,
                                      spider=engine.spider)
        stats = engine.crawler.stats
        stats.inc_value("spider_exceptions/count")
        stats.inc_value(f"spider_exceptions/{type(error).__name__}")
        self.failed = True  # what is already queued still runs
