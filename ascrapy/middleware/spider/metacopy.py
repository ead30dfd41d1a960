"""MetaCopyDetectionMiddleware: warn once when a spider forwards response.meta wholesale.

Keys such as redirect_times or retry_times belong to one request; copying them into new
requests (``meta=response.meta``) silently breaks redirects, retries and caching.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy.middleware.spider.base import BaseSpiderMiddleware

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.spidermiddlewares.metacopy")

INTERNAL_META_KEYS = frozenset({
    "_auth_proxy", "_dont_cache", "_scheme_proxy", "cache_timestamp", "download_latency",
    "redirect_reasons", "redirect_times", "redirect_ttl", "redirect_urls", "retry_times",
})


class MetaCopyDetectionMiddleware(BaseSpiderMiddleware):
    """Logs one warning per crawl for a request that carries another request's internal meta."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        super().__init__(crawler)
        skipped = frozenset(crawler.settings.getlist("META_COPY_WARN_SKIP_KEYS", []))
        self._keys = INTERNAL_META_KEYS - skipped
        self._warned = False

    def get_processed_request(self, request: Any, response: Any) -> Any:
        meta = request.meta_or_none
        if response is None or self._warned or not meta:
            return request
        if not self._keys.isdisjoint(meta):  # looks up meta's few keys, builds no set
            found = self._keys & meta.keys()
            self._warned = True
            spider = self.crawler.spider
            logger.warning(
                "%s yielded a request containing internal meta keys that were likely copied from "
                "response.meta and should not be forwarded to new requests: %s. See the "
                "MetaCopyDetectionMiddleware documentation for more information. Source response: "
                "%s, target request: %s",
                type(spider).__name__, sorted(found), response, request,
                extra={"spider": spider},
            )
        return request
