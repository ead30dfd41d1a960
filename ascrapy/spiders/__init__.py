"""The Spider base class (scrapy.spiders.Spider) and the generic spiders."""

from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any, Self

from ascrapy import signals
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request
from ascrapy.utils.log import SpiderLoggerAdapter
from ascrapy.utils.misc import lazy_attributes
from ascrapy.utils.trackref import object_ref
from ascrapy.utils.url import url_is_from_spider

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class Spider(object_ref):
    """Base class of all spiders: a name, start requests, and callbacks that parse responses."""

    name: str
    custom_settings: dict[str, Any] | None = None

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        if name is not None:
            self.name = name
        elif not getattr(self, "name", None):
            raise ValueError(f"{type(self).__name__} must have a name")
        self.__dict__.update(kwargs)
        if not hasattr(self, "start_urls"):
            self.start_urls: list[str] = []

    @property
    def logger(self) -> SpiderLoggerAdapter:
        return SpiderLoggerAdapter(logging.getLogger(self.name), {"spider": self})

    def log(self, message: Any, level: int = logging.DEBUG, **kw: Any) -> None:
        """Deprecated in Scrapy 2.19: use ``self.logger``."""
        warnings.warn(
            "Spider.log() is deprecated, use methods of Spider.logger instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        self.logger.log(level, message, **kw)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> Self:
        spider = cls(*args, **kwargs)
        spider._set_crawler(crawler)
        return spider

    def _set_crawler(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        crawler.signals.connect(self.close, signals.spider_closed)

    async def start(self) -> AsyncIterator[Any]:
        """Yield the first requests and items; by default those of start_requests()."""
        for item_or_request in self.start_requests():
            yield item_or_request

    def start_requests(self) -> Iterable[Any]:
        """The pre-2.13 way to produce start requests: one Request per start_urls entry."""
        if not self.start_urls and hasattr(self, "start_url"):
            raise AttributeError(
                "Crawling could not start: 'start_urls' not found or empty (but found 'start_url' "
                "attribute instead, did you miss an 's'?)"
            )
        for url in self.start_urls:
            yield Request(url, dont_filter=True)

    def _parse(self, response: Any, **kwargs: Any) -> Any:
        return self.parse(response, **kwargs)

    def parse(self, response: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{self.__class__.__name__}.parse callback is not defined")

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        settings.setdict(cls.custom_settings or {}, priority="spider")

    @classmethod
    def handles_request(cls, request: Any) -> bool:
        return url_is_from_spider(request.url, cls)

    @staticmethod
    def close(spider: Spider, reason: str) -> Any:
        closed = getattr(spider, "closed", None)
        if callable(closed):
            return closed(reason)
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} at 0x{id(self):0x}>"


# The generic spiders, importable from here as from scrapy.spiders; their modules (and the
# link extractors, sitemaps and feed iterators behind them) load when first asked for.
_LAZY_SUBMODULES = {
    "CrawlSpider": "crawl",
    "Rule": "crawl",
    "CSVFeedSpider": "feed",
    "XMLFeedSpider": "feed",
    "SitemapSpider": "sitemap",
}

__all__ = ["CSVFeedSpider", "CrawlSpider", "Rule", "SitemapSpider", "Spider", "XMLFeedSpider"]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY_SUBMODULES, globals())
