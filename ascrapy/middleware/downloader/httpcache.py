"""Serve responses from a local HTTP cache (HTTPCACHE_ENABLED).

A fresh cached response answers the request without a download (flag ``cached``); a
stale one is kept on the request so the download can revalidate it, and it stands in
when the download fails. ``dont_cache`` in meta bypasses the cache both ways.
"""

from __future__ import annotations

import logging
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import (
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
)
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.misc import load_object

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.downloadermiddlewares.httpcache")


class HttpCacheMiddleware:
    """Looks requests up in HTTPCACHE_STORAGE and stores responses, as HTTPCACHE_POLICY says.

    Stats: ``httpcache/hit``, ``miss``, ``ignore``, ``store``, ``uncacheable``,
    ``firsthand``, ``revalidate``, ``invalidate``, ``errorrecovery``, ``retrieve_error``.
    """

    # Download errors after which a stale cached response is better than nothing.
    DOWNLOAD_EXCEPTIONS: tuple[type[Exception], ...] = (
        OSError,
        DownloadTimeoutError,
        DownloadConnectionRefusedError,
        DownloadFailedError,
    )

    crawler: CrawlerProtocol

    def __init__(self, settings: Any, stats: Any) -> None:
        if not settings.getbool("HTTPCACHE_ENABLED"):
            raise NotConfigured
        self.policy = load_object(settings["HTTPCACHE_POLICY"])(settings)
        self.storage = load_object(settings["HTTPCACHE_STORAGE"])(settings)
        self.ignore_missing: bool = settings.getbool("HTTPCACHE_IGNORE_MISSING")
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.settings, crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        middleware.crawler = crawler
        return middleware

    def spider_opened(self, spider: Any) -> None:
        self.storage.open_spider(spider)

    def spider_closed(self, spider: Any) -> None:
        self.storage.close_spider(spider)

    def process_request(self, request: Request, spider: Any = None) -> Request | Response | None:
        if spider is not None:
            warn_spider_arg("HttpCacheMiddleware.process_request")
        meta = request.meta
        if meta.get("dont_cache", False):
            return None
        if not self.policy.should_cache_request(request):
            # Remembered so process_response does not ask the policy again.
            meta["_dont_cache"] = True
            return None
        spider = self.crawler.spider
        try:
            cached = self.storage.retrieve_response(spider, request)
        except Exception:
            self.stats.inc_value("httpcache/retrieve_error")
            logger.warning(
                f"Could not read the cache entry for {request}, treating it as a cache miss.",
                exc_info=True,
                extra={"spider": spider},
            )
            cached = None
        if cached is None:
            self.stats.inc_value("httpcache/miss")
            if self.ignore_missing:
                self.stats.inc_value("httpcache/ignore")
                raise IgnoreRequest(f"Ignored request not in cache: {request}")
            return None
        cached.flags.append("cached")
        if self.policy.is_cached_response_fresh(cached, request):
            self.stats.inc_value("httpcache/hit")
            return cached
        # Stale: download, and let process_response compare without a second lookup.
        meta["cached_response"] = cached
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if spider is not None:
            warn_spider_arg("HttpCacheMiddleware.process_response")
        meta = request.meta
        if meta.get("dont_cache", False):
            return response
        if "_dont_cache" in meta or "cached" in response.flags:
            meta.pop("_dont_cache", None)
            return response
        # Freshness is computed from Date, which origin servers must send (RFC 2616 14.18).
        if "Date" not in response.headers:
            response.headers["Date"] = formatdate(usegmt=True)
        cached: Response | None = meta.pop("cached_response", None)
        if cached is None:
            self.stats.inc_value("httpcache/firsthand")
            self._cache_response(response, request)
            return response
        if self.policy.is_cached_response_valid(cached, response, request):
            self.stats.inc_value("httpcache/revalidate")
            if response.status == 304:
                self._freshen_cached_response(cached, response)
                self._cache_response(cached, request)
            return cached
        self.stats.inc_value("httpcache/invalidate")
        meta.pop("cache_timestamp", None)
        self._cache_response(response, request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | Response | None:
        if spider is not None:
            warn_spider_arg("HttpCacheMiddleware.process_exception")
        cached: Response | None = request.meta.pop("cached_response", None)
        if cached is not None and isinstance(exception, self.DOWNLOAD_EXCEPTIONS):
            self.stats.inc_value("httpcache/errorrecovery")
            return cached
        return None

    def _freshen_cached_response(self, cachedresponse: Response, response: Response) -> None:
        """Take the headers of a 304 into the cached copy (RFC 7234 4.3.4): 1xx warnings
        go, 2xx warnings stay."""
        headers = cachedresponse.headers
        kept_warnings = [w for w in headers.getlist(b"Warning") if w.lstrip()[:1] == b"2"]
        headers.update(response.headers)
        if kept_warnings:
            headers[b"Warning"] = kept_warnings
        else:
            headers.pop(b"Warning", None)

    def _cache_response(self, response: Response, request: Request) -> None:
        if self.policy.should_cache_response(response, request):
            self.stats.inc_value("httpcache/store")
            self.storage.store_response(self.crawler.spider, request, response)
        else:
            self.stats.inc_value("httpcache/uncacheable")
