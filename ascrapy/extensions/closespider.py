"""CloseSpider: ends a crawl once a limit is reached (time, items, pages, errors, idleness).

Each CLOSESPIDER_* setting that is not zero adds one condition; the first one met closes
the spider gracefully with its own reason (closespider_timeout, closespider_itemcount, ...).
Only the signals a configured condition needs are connected, so the others cost nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils.asyncio import LoopingCall, create_looping_call

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.closespider")


class CloseSpider:
    """Closes the spider on the first CLOSESPIDER_* condition met."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.close_on: dict[str, Any] = {
            "timeout": settings.getfloat("CLOSESPIDER_TIMEOUT"),
            "itemcount": settings.getint("CLOSESPIDER_ITEMCOUNT"),
            "pagecount": settings.getint("CLOSESPIDER_PAGECOUNT"),
            "errorcount": settings.getint("CLOSESPIDER_ERRORCOUNT"),
            "timeout_no_item": settings.getint("CLOSESPIDER_TIMEOUT_NO_ITEM"),
            "pagecount_no_item": settings.getint("CLOSESPIDER_PAGECOUNT_NO_ITEM"),
        }
        if not any(self.close_on.values()):
            raise NotConfigured
        self.counter: defaultdict[str, int] = defaultdict(int)
        # CLOSESPIDER_TIMEOUT: one timer from spider_opened.
        self.task: asyncio.TimerHandle | None = None
        # CLOSESPIDER_TIMEOUT_NO_ITEM: a check every period for items produced in it.
        self.task_no_item: LoopingCall | None = None
        self.timeout_no_item: int = self.close_on["timeout_no_item"]
        self.items_in_period = 0

        connect = crawler.signals.connect
        close_on = self.close_on
        if close_on["errorcount"]:
            connect(self.error_count, signal=signals.spider_error)
        if close_on["pagecount"] or close_on["pagecount_no_item"]:
            connect(self.page_count, signal=signals.response_received)
        if close_on["timeout"]:
            connect(self.spider_opened, signal=signals.spider_opened)
        if close_on["itemcount"] or close_on["pagecount_no_item"]:
            connect(self.item_scraped, signal=signals.item_scraped)
        if close_on["timeout_no_item"]:
            connect(self.spider_opened_no_item, signal=signals.spider_opened)
            connect(self.item_scraped_no_item, signal=signals.item_scraped)
        connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> CloseSpider:
        return cls(crawler)

    # -- counters -------------------------------------------------------------------------

    def error_count(self, failure: Any, response: Any, spider: Any) -> None:
        self.counter["errorcount"] += 1
        if self.counter["errorcount"] == self.close_on["errorcount"]:
            self._close_spider("closespider_errorcount")

    def page_count(self, response: Any, request: Any, spider: Any) -> None:
        counter = self.counter
        counter["pagecount"] += 1
        counter["pagecount_since_last_item"] += 1
        if counter["pagecount"] == self.close_on["pagecount"]:
            self._close_spider("closespider_pagecount")
            return
        limit = self.close_on["pagecount_no_item"]
        if limit and counter["pagecount_since_last_item"] >= limit:
            self._close_spider("closespider_pagecount_no_item")

    def item_scraped(self, item: Any, spider: Any) -> None:
        self.counter["itemcount"] += 1
        self.counter["pagecount_since_last_item"] = 0
        if self.counter["itemcount"] == self.close_on["itemcount"]:
            self._close_spider("closespider_itemcount")

    # -- timers ---------------------------------------------------------------------------

    def spider_opened(self, spider: Any) -> None:
        loop = asyncio.get_running_loop()
        self.task = loop.call_later(self.close_on["timeout"], self._close_spider, "closespider_timeout")

    def spider_opened_no_item(self, spider: Any) -> None:
        self.task_no_item = create_looping_call(self._count_items_produced)
        self.task_no_item.start(self.timeout_no_item, now=False)
        logger.info("Spider will stop when no items are produced after %s seconds.", self.timeout_no_item)

    def item_scraped_no_item(self, item: Any, spider: Any) -> None:
        self.items_in_period += 1

    def _count_items_produced(self) -> None:
        if self.items_in_period >= 1:
            self.items_in_period = 0
            return
        logger.info(
            "Closing spider since no items were produced in the last %s seconds.", self.timeout_no_item
        )
        self._close_spider("closespider_timeout_no_item")

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.task_no_item is not None:
            if self.task_no_item.running:
                self.task_no_item.stop()
            self.task_no_item = None

    def _close_spider(self, reason: str) -> None:
        """Ask the engine for a graceful close; the first reason given is the one kept."""
        engine = self.crawler.engine
        engine.close_spider(getattr(engine, "spider", None) or self.crawler.spider, reason)
