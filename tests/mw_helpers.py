"""A small crawler stand-in for middleware tests: real settings, stats and signals.

Middlewares only touch ``crawler.settings``, ``crawler.stats``, ``crawler.signals``,
``crawler.spider`` (and, for redirects, ``get_spider_middleware``); a full Crawler
would also build an engine and a downloader these tests have no use for.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ascrapy.settings import Settings
from ascrapy.signalmanager import SignalManager
from ascrapy.spiders import Spider
from ascrapy.stats import MemoryStatsCollector
from ascrapy.utils.misc import build_from_crawler

T = TypeVar("T")


class MiddlewareTestCrawler:
    """Holds what a middleware's from_crawler reads; ``spider`` is set on creation."""

    def __init__(self, settings: dict[str, Any] | None = None, spidercls: type[Spider] = Spider, **spider_kwargs: Any):
        self.settings = Settings(settings or {})
        self.signals = SignalManager(self)
        self.stats = MemoryStatsCollector(self)
        self.engine = None
        self.spider_middlewares: list[Any] = []
        spider_kwargs.setdefault("name", "test")
        self.spider = spidercls.from_crawler(self, **spider_kwargs)

    def get_spider_middleware(self, cls: type[T]) -> T | None:
        for middleware in self.spider_middlewares:
            if isinstance(middleware, cls):
                return middleware
        return None


def get_crawler(settings: dict[str, Any] | None = None, spidercls: type[Spider] = Spider, **spider_kwargs: Any) -> MiddlewareTestCrawler:
    return MiddlewareTestCrawler(settings, spidercls, **spider_kwargs)


def build(cls: type[T], settings: dict[str, Any] | None = None, **spider_kwargs: Any) -> tuple[T, MiddlewareTestCrawler]:
    """Build ``cls`` the way the middleware manager does, with a fresh crawler."""
    crawler = get_crawler(settings, **spider_kwargs)
    return build_from_crawler(cls, crawler), crawler


def open_spider(crawler: MiddlewareTestCrawler) -> None:
    """Send spider_opened as the engine does when the crawl starts."""
    from ascrapy import signals

    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)


async def collect(async_iterable: Any) -> list[Any]:
    return [obj async for obj in async_iterable]


async def as_async(iterable: Any) -> Any:
    for obj in iterable:
        yield obj
