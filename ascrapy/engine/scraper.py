"""The scraper: callbacks and errbacks through the spider middlewares, then item pipelines.

``scrape`` turns one download result into its items, scheduling the requests it yields on
the way; ``process_item`` runs one item through ITEM_PIPELINES. Errors are values here: a
raising callback, errback or pipeline is logged with its traceback, counted, signalled, and
the crawl goes on.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from ascrapy import signals
from ascrapy.engine.item_processor import ItemProcessorCalls
from ascrapy.exceptions import CloseSpider, DropItem, IgnoreRequest
from ascrapy.failure import Failure
from ascrapy.http import Request, Response
from ascrapy.logformatter import debug_line_is_off, log_formatted
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.middleware.spider_hooks import AsyncTail
from ascrapy.middleware.spidermw import SpiderMiddlewareManager
from ascrapy.utils.misc import (
    build_from_crawler,
    load_object,
    warn_on_generator_with_return_value,
)

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.core.scraper")

_END = object()


class Scraper:
    """Calls the spider for each download result and processes the items it produces."""

    def __init__(self, crawler: CrawlerProtocol, crawl: Callable[[Any], None] | None = None) -> None:
        self.crawler = crawler
        self.signals = crawler.signals
        self.stats = crawler.stats
        self.logformatter = crawler.logformatter
        self.spidermw = SpiderMiddlewareManager.from_crawler(crawler)
        self.itemproc = build_from_crawler(load_object(crawler.settings["ITEM_PROCESSOR"]), crawler)
        self._items = ItemProcessorCalls(self.itemproc, lambda: crawler.spider)
        self.concurrent_items = crawler.settings.getint("CONCURRENT_ITEMS")
        self._checked_callbacks: set[Any] = set()
        # Where requests the spider yields go: the engine's crawl (looked up late by default,
        # for a Scraper built before its engine, as Scrapy's tests do).
        self.crawl: Callable[[Any], None] = crawl or (lambda request: crawler.engine.crawl(request))

    async def open_spider_async(self) -> None:
        if self.crawler.spider is None:
            raise RuntimeError("Scraper.open_spider() called before Crawler.spider is set.")
        await self._items.open()

    open_spider = open_spider_async

    async def close_spider_async(self) -> None:
        await self._items.close()

    close_spider = close_spider_async

    # -- callbacks ------------------------------------------------------------------------

    async def call_spider(self, result: Any, request: Any) -> Any:
        """The output of the request's callback for a Response, or its errback for a Failure."""
        spider: Any = self.crawler.spider  # set: callbacks run only while it is open
        if isinstance(result, Response):
            if result.request is None:
                result.request = request
            callback = result.request.callback or spider._parse
            self._check_callback(callback)
            output = callback(result, **result.request.cb_kwargs)
        else:
            result.request = request
            if not request.errback:
                result.raiseException()
            self._check_callback(request.errback)
            output = request.errback(result)
            if isinstance(output, Failure):
                output.raiseException()
        if inspect.isawaitable(output):
            output = await deferred_as_future(output, getattr(request, "callback", None) or spider.parse)
        if output is None or _is_iterable_output(output):
            return output
        return (output,)

    call_spider_async = call_spider

    def _check_callback(self, callback: Any) -> None:
        key = getattr(callback, "__func__", callback)
        if key in self._checked_callbacks:
            return
        self._checked_callbacks.add(key)
        warn_on_generator_with_return_value(self.crawler.spider, callback)

    async def scrape(self, result: Any, request: Any) -> AsyncIterator[tuple[Any, Any]]:
        """Yield ``(item, response)`` for every item the spider produces from ``result``;
        requests it produces are scheduled on the way."""
        output: Any  # a callback's output: an async or a plain iterable, or None
        if isinstance(result, Response):
            try:
                output = await self.spidermw.scrape_response(self.call_spider, result, request)
            except Exception:
                self.handle_spider_error(Failure(), request, result)
                return
        else:
            try:
                output = await self.call_spider(result, request)
            except Exception as error:
                if not isinstance(result.value, IgnoreRequest):
                    log_formatted(
                        logger,
                        self.logformatter.download_error(result, request, self.crawler.spider),
                        exc_info=result.exc_info(),
                        extra={"spider": self.crawler.spider},
                    )
                if error is not result.value:
                    self.handle_spider_error(Failure(), request, result)
                return
        if output is None:
            return
        crawl = self.crawl
        is_async = hasattr(output, "__aiter__")
        iterator = aiter(output) if is_async else iter(output)
        while True:
            if is_async:
                element = await self._next_async(iterator, request, result)
                if element is _END:
                    return
            else:  # written out, not a method: this runs for every object a callback yields
                try:
                    element = next(iterator)
                except StopIteration:
                    return
                except Exception:
                    self.handle_spider_error(Failure(), request, result)
                    return
            if element is None:
                continue
            if isinstance(element, Request):
                crawl(element)
                continue
            if type(element) is AsyncTail:  # the recovery of a synchronous chain
                iterator, is_async = aiter(element.iterable), True
                continue
            yield element, result

    async def _next_async(self, iterator: Any, request: Any, response: Any) -> Any:
        try:
            return await anext(iterator)
        except StopAsyncIteration:
            return _END
        except Exception:
            self.handle_spider_error(Failure(), request, response)
            return _END

    def handle_spider_error(self, failure: Failure, request: Any, response: Any) -> None:
        """Log, signal and count an exception from a callback, errback or spider middleware."""
        spider = self.crawler.spider
        error = failure.value
        if isinstance(error, CloseSpider):
            self.crawler.engine.close_spider(spider, error.reason or "cancelled")
            return
        log_formatted(
            logger,
            self.logformatter.spider_error(failure, request, response, spider),
            exc_info=failure.exc_info(),
            extra={"spider": spider},
        )
        self.signals.send_catch_log(signals.spider_error, failure=failure, response=response, spider=spider)
        self.stats.inc_value("spider_exceptions/count")
        self.stats.inc_value(f"spider_exceptions/{type(error).__name__}")

    # -- items ----------------------------------------------------------------------------

    async def process_item(self, pair: tuple[Any, Any]) -> Any:
        """Run one item through the pipelines: the item that passed, or None."""
        item, response = pair
        spider = self.crawler.spider
        try:
            output = await self._items.process(item)
        except DropItem as error:
            log_formatted(
                logger, self.logformatter.dropped(item, error, response, spider),
                extra={"spider": spider, "item": item},
            )
            await self.signals.send_catch_log_async(
                signals.item_dropped, item=item, response=response, spider=spider, exception=error
            )
            return None
        except Exception as error:
            failure = Failure(error)
            log_formatted(
                logger, self.logformatter.item_error(item, error, response, spider),
                exc_info=failure.exc_info(), extra={"spider": spider, "item": item},
            )
            self.stats.inc_value("item_error_count")
            self.stats.inc_value(f"item_error_reasons_count/{type(error).__name__}")
            await self.signals.send_catch_log_async(
                signals.item_error, item=item, response=response, spider=spider, failure=failure
            )
            return None
        if not debug_line_is_off(self.logformatter, "scraped", logger):
            log_formatted(
                logger, self.logformatter.scraped(output, response, spider),
                extra={"spider": spider, "item": output},
            )
        if self.signals.has_receivers(signals.item_scraped):
            await self.signals.send_catch_log_async(
                signals.item_scraped, item=output, response=response, spider=spider
            )
        return output


def _is_iterable_output(output: Any) -> bool:
    """A callback may return one request or item instead of an iterable of them."""
    if inspect.isgenerator(output) or isinstance(output, (list, tuple)) or hasattr(output, "__aiter__"):
        return True
    if isinstance(output, (Request, dict, str, bytes)) or not hasattr(output, "__iter__"):
        return False
    return not ItemAdapter.is_item(output)
