"""Stats collectors with Scrapy's API and keys (scrapy.statscollectors)."""

from __future__ import annotations

import logging
import pprint
import warnings
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.deprecate import argument_is_required
from ascrapy.utils.python import global_object_name

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.statscollectors")


def _spider_arg_deprecated(method: str) -> None:
    warnings.warn(
        f"Passing a 'spider' argument to StatsCollector.{method}() is deprecated and the "
        "argument will be removed in a future Scrapy version.",
        ScrapyDeprecationWarning,
        stacklevel=3,
    )


def call_collector(stats: Any, method: str, spider: Any, **kwargs: Any) -> Any:
    """The engine's call of a collector's open_spider or close_spider, as Scrapy 2.19 makes it:
    without the spider (``def open_spider(self)`` works), unless the method is of the older
    kind that requires one (then it gets it, with a deprecation warning)."""
    bound = getattr(stats, method)
    if argument_is_required(bound, "spider"):
        warnings.warn(
            f"The {method}() method of {global_object_name(type(stats))} requires a spider argument, this is "
            "deprecated and the argument will not be passed in future Scrapy versions.",
            ScrapyDeprecationWarning, stacklevel=2,
        )
        return bound(spider=spider, **kwargs)
    return bound(**kwargs)


class StatsCollector:
    """A dict of counters for one crawl; dumped to the log when the spider closes."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self._dump = crawler.settings.getbool("STATS_DUMP")
        self._stats: dict[str, Any] = {}
        self._crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> StatsCollector:
        return cls(crawler)

    def get_value(self, key: str, default: Any = None, spider: Any = None) -> Any:
        if spider is not None:
            _spider_arg_deprecated("get_value")
        return self._stats.get(key, default)

    def get_stats(self, spider: Any = None) -> dict[str, Any]:
        if spider is not None:
            _spider_arg_deprecated("get_stats")
        return self._stats

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        if spider is not None:
            _spider_arg_deprecated("set_value")
        self._stats[key] = value

    def set_stats(self, stats: dict[str, Any], spider: Any = None) -> None:
        if spider is not None:
            _spider_arg_deprecated("set_stats")
        self._stats = stats

    def inc_value(self, key: str, count: int | float = 1, start: int | float = 0, spider: Any = None) -> None:
        if spider is not None:
            _spider_arg_deprecated("inc_value")
        stats = self._stats
        stats[key] = stats.get(key, start) + count

    def max_value(self, key: str, value: Any, spider: Any = None) -> None:
        if spider is not None:
            _spider_arg_deprecated("max_value")
        stats = self._stats
        stats[key] = max(stats.get(key, value), value)

    def min_value(self, key: str, value: Any, spider: Any = None) -> None:
        if spider is not None:
            _spider_arg_deprecated("min_value")
        stats = self._stats
        stats[key] = min(stats.get(key, value), value)

    def clear_stats(self, spider: Any = None) -> None:
        if spider is not None:
            _spider_arg_deprecated("clear_stats")
        self._stats.clear()

    def open_spider(self, spider: Any = None) -> None:
        pass

    def close_spider(self, spider: Any = None, reason: str | None = None) -> Awaitable[None] | None:
        """Dump and persist the stats; a collector that sends them elsewhere returns what to
        await for its last send (the engine awaits it)."""
        if self._dump:
            # one record: the text log shows the dump, a JSON log (LOG_JSON) the stats object
            logger.info(
                "Dumping Scrapy stats:\n" + pprint.pformat(self._stats),
                extra={"spider": spider or getattr(self._crawler, "spider", None), "stats": self._stats,
                       "json_message": "Dumping Scrapy stats"},
            )
        self._persist_stats(self._stats, spider)
        return None

    def _persist_stats(self, stats: dict[str, Any], spider: Any = None) -> None:
        pass


class MemoryStatsCollector(StatsCollector):
    """Keeps the last stats of each spider by name after it closes."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        super().__init__(crawler)
        self.spider_stats: dict[str, dict[str, Any]] = {}

    def _persist_stats(self, stats: dict[str, Any], spider: Any = None) -> None:
        spider = spider or getattr(self._crawler, "spider", None)
        if spider is not None:
            self.spider_stats[spider.name] = stats


class DummyStatsCollector(StatsCollector):
    """Collects nothing (STATS_CLASS for crawls that do not want stats)."""

    def get_value(self, key: str, default: Any = None, spider: Any = None) -> Any:
        return default

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        pass

    def set_stats(self, stats: dict[str, Any], spider: Any = None) -> None:
        pass

    def inc_value(self, key: str, count: int | float = 1, start: int | float = 0, spider: Any = None) -> None:
        pass

    def max_value(self, key: str, value: Any, spider: Any = None) -> None:
        pass

    def min_value(self, key: str, value: Any, spider: Any = None) -> None:
        pass
