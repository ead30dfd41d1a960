"""SitemapSpider (scrapy.spiders.sitemap): crawl the pages that sitemaps list.

From ``sitemap_urls`` (sitemaps, sitemap indexes or robots.txt files), it follows
index entries matching ``sitemap_follow`` and sends each page matching a
``sitemap_rules`` pattern to that rule's callback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Self

from ascrapy.http import Request, Response, XmlResponse
from ascrapy.spiders import Spider
from ascrapy.utils._compression import _DecompressionMaxSizeExceeded
from ascrapy.utils.gz import gunzip, gzip_magic_number
from ascrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

__all__ = ["SitemapSpider"]

logger = logging.getLogger("scrapy.spiders.sitemap")


def regex(x: re.Pattern[str] | str) -> re.Pattern[str]:
    """A compiled pattern from a pattern or a string."""
    return re.compile(x) if isinstance(x, str) else x


def iterloc(it: Iterable[dict[str, Any]], alt: bool = False) -> Iterator[str]:
    """The ``loc`` of each sitemap entry (empty ones skipped), then its alternates if ``alt``."""
    for entry in it:
        loc = entry["loc"]
        if loc:
            yield loc
        if alt:
            alternates = entry.get("alternate")
            if alternates:
                yield from alternates


class SitemapSpider(Spider):
    """A spider whose start URLs are sitemaps.

    ``sitemap_rules`` pairs URL patterns with callbacks (method names or callables);
    the first pattern found in a page URL picks its callback, and pages no rule matches
    are skipped. ``sitemap_alternate_links`` also follows the ``hreflang`` alternates.
    Override :meth:`sitemap_filter` to pick entries by their other fields.
    """

    sitemap_urls: Sequence[str] = ()
    sitemap_rules: Sequence[tuple[re.Pattern[str] | str, str | Callable[..., Any]]] = [("", "parse")]
    sitemap_follow: Sequence[re.Pattern[str] | str] = [""]
    sitemap_alternate_links: bool = False
    # DOWNLOAD_MAXSIZE and DOWNLOAD_WARNSIZE defaults, for spiders built without a crawler.
    _max_size: int = 1024 * 1024 * 1024
    _warn_size: int = 32 * 1024 * 1024

    def __init__(self, *a: Any, **kw: Any):
        super().__init__(*a, **kw)
        self._cbs: list[tuple[re.Pattern[str], Callable[..., Any]]] = [
            (regex(pattern), getattr(self, callback) if isinstance(callback, str) else callback)
            for pattern, callback in self.sitemap_rules
        ]
        self._follow: list[re.Pattern[str]] = [regex(pattern) for pattern in self.sitemap_follow]

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = spider.settings
        spider._max_size = getattr(spider, "download_maxsize", settings.getint("DOWNLOAD_MAXSIZE"))
        spider._warn_size = getattr(spider, "download_warnsize", settings.getint("DOWNLOAD_WARNSIZE"))
        return spider

    def start_requests(self) -> Iterable[Request]:
        """One request per sitemap URL (``start()`` yields these, as for any spider)."""
        for url in self.sitemap_urls:
            yield Request(url, self._parse_sitemap)

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """The sitemap entries to use; all of them unless overridden (e.g. by ``lastmod``)."""
        yield from entries

    def _parse_sitemap(self, response: Response) -> Iterable[Request]:
        if response.url.endswith("/robots.txt"):
            urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
            return [Request(url, callback=self._parse_sitemap) for url in urls]

        body = self._get_sitemap_body(response)
        if body:
            sitemap = Sitemap(body)
            if sitemap.type == "sitemapindex":
                locs = self._get_urls_from_sitemapindex(self.sitemap_filter(sitemap))
                return [Request(loc, callback=self._parse_sitemap) for loc in locs]
            if sitemap.type == "urlset":
                pairs = self._get_urls_and_callbacks_from_urlset(self.sitemap_filter(sitemap))
                return [Request(loc, callback=callback) for loc, callback in pairs]
        logger.warning("Ignoring invalid sitemap: %(response)s", {"response": response}, extra={"spider": self})
        return []

    def _get_urls_from_sitemapindex(self, it: Iterable[dict[str, Any]]) -> Iterator[str]:
        for loc in iterloc(it, self.sitemap_alternate_links):
            if any(pattern.search(loc) for pattern in self._follow):
                yield loc

    def _get_urls_and_callbacks_from_urlset(
        self, it: Iterable[dict[str, Any]]
    ) -> Iterator[tuple[str, Callable[..., Any]]]:
        for loc in iterloc(it, self.sitemap_alternate_links):
            for pattern, callback in self._cbs:
                if pattern.search(loc):
                    yield loc, callback
                    break

    def _get_sitemap_body(self, response: Response) -> bytes | None:
        """The sitemap XML of a response, or None if it holds none.

        Gzipped sitemaps are decoded here (up to the download size limit: a bigger one is
        treated as no sitemap); a ``.xml``/``.xml.gz`` URL whose body is plain was
        already decoded by HttpCompressionMiddleware.
        """
        if isinstance(response, XmlResponse):
            return response.body
        if gzip_magic_number(response):
            meta = response.meta
            max_size = meta.get("download_maxsize", self._max_size)
            warn_size = meta.get("download_warnsize", self._warn_size)
            try:
                body = gunzip(response.body, max_size=max_size)
            except _DecompressionMaxSizeExceeded:
                return None
            if len(response.body) < warn_size <= len(body):
                logger.warning(
                    f"{response} body size after decompression ({len(body)} B) "
                    f"is larger than the download warning size ({warn_size} B)."
                )
            return body
        if response.url.endswith((".xml", ".xml.gz")):
            return response.body
        return None
