"""LogStats: the periodic "Crawled N pages (at X pages/min), scraped M items" line."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils.asyncio import LoopingCall, create_looping_call

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.logstats")


class LogStats:
    """Logs pages and items crawled so far, and their rates, every LOGSTATS_INTERVAL seconds."""

    def __init__(self, stats: Any, interval: float = 60.0) -> None:
        self.stats = stats
        self.interval = interval
        self.multiplier = 60.0 / interval
        self.pagesprev = 0
        self.itemsprev = 0
        self.task: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> LogStats:
        interval = crawler.settings.getfloat("LOGSTATS_INTERVAL")
        if not interval:
            raise NotConfigured
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.pagesprev = 0
        self.itemsprev = 0
        self.task = create_looping_call(self.log, spider)
        self.task.start(self.interval)  # a first line now, then one every interval

    def log(self, spider: Any) -> None:
        pages = self.stats.get_value("response_received_count", 0)
        items = self.stats.get_value("item_scraped_count", 0)
        prate = (pages - self.pagesprev) * self.multiplier
        irate = (items - self.itemsprev) * self.multiplier
        self.pagesprev, self.itemsprev = pages, items
        logger.info(
            "Crawled %(pages)d pages (at %(pagerate)d pages/min), scraped %(items)d items (at %(itemrate)d items/min)",
            {"pages": pages, "pagerate": prate, "items": items, "itemrate": irate},
            extra={"spider": spider},
        )

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        pages_per_minute, items_per_minute = self.calculate_final_stats(spider)
        self.stats.set_value("responses_per_minute", pages_per_minute)
        self.stats.set_value("items_per_minute", items_per_minute)

    def calculate_final_stats(self, spider: Any) -> tuple[float, float] | tuple[None, None]:
        """Rates over the whole crawl, counted in whole seconds as Scrapy does (None under 1 s)."""
        start, finish = self.stats.get_value("start_time"), self.stats.get_value("finish_time")
        if not start or not finish:
            return None, None
        minutes = (finish - start).seconds / 60
        if minutes == 0:
            return None, None
        pages = self.stats.get_value("response_received_count", 0)
        items = self.stats.get_value("item_scraped_count", 0)
        return pages / minutes, items / minutes
