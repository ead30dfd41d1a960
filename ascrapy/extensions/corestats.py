"""CoreStats: the crawl-wide stats every Scrapy user reads (start/finish, counts)."""

from __future__ import annotations

from datetime import datetime, timezone
from time import monotonic
from typing import TYPE_CHECKING, Any

from ascrapy import signals

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class CoreStats:
    """Fills start_time, finish_time, elapsed_time_seconds, finish_reason and item/response counts."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.start_time: datetime | None = None
        self._started = 0.0

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> CoreStats:
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.start_time = datetime.now(tz=timezone.utc)
        self._started = monotonic()
        self.stats.set_value("start_time", self.start_time)

    def spider_closed(self, spider: Any, reason: str) -> None:
        finish_time = datetime.now(tz=timezone.utc)
        self.stats.set_value("elapsed_time_seconds", monotonic() - self._started)
        self.stats.set_value("finish_time", finish_time)
        self.stats.set_value("finish_reason", reason)

    def item_scraped(self, item: Any, spider: Any) -> None:
        self.stats.inc_value("item_scraped_count")

    def response_received(self, spider: Any) -> None:
        self.stats.inc_value("response_received_count")

    def item_dropped(self, item: Any, spider: Any, exception: BaseException) -> None:
        reason = type(exception).__name__
        self.stats.inc_value("item_dropped_count")
        self.stats.inc_value(f"item_dropped_reasons_count/{reason}")
