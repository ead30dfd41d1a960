"""Drop requests for hosts outside the spider's ``allowed_domains`` (Scrapy 2.11.2+)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import IgnoreRequest
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.downloadermiddlewares.offsite")

_ALLOW_ALL = re.compile("")


class OffsiteMiddleware:
    """Allow a host when it is an allowed domain or one of its subdomains.

    Requests with ``dont_filter`` or the ``allow_offsite`` meta key pass whatever their
    host. Only the first filtered request of each domain is logged, to keep logs short.
    """

    crawler: CrawlerProtocol
    host_regex: re.Pattern[str]

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.domains_seen: set[str] = set()
        # The allowed_domains the current regex was built from, to notice changes.
        self._allowed_domains: list[str] | None = None
        cls = type(self)
        # Without allowed_domains the default policy lets every host through: then
        # process_request can say so without the calls (it runs for every request).
        self._default_policy = (
            cls.should_follow is OffsiteMiddleware.should_follow
            and cls.get_host_regex is OffsiteMiddleware.get_host_regex
            and cls._refresh_host_regex is OffsiteMiddleware._refresh_host_regex
        )

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.stats)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        self._refresh_host_regex(spider)

    def request_scheduled(self, request: Request, spider: Any) -> None:
        """Filter before the frontier, so offsite requests never take a queue slot."""
        self.process_request(request)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("OffsiteMiddleware.process_request")
        meta = request.meta_or_none
        if request.dont_filter or (meta and meta.get("allow_offsite")):
            return None
        spider = self.crawler.spider
        if self._default_policy and self._allowed_domains == [] and not getattr(spider, "allowed_domains", None):
            return None  # still no allowed_domains: should_follow() would say yes
        if self.should_follow(request, spider):
            return None
        domain = urlparse_cached(request).hostname
        if domain and domain not in self.domains_seen:
            self.domains_seen.add(domain)
            logger.debug(
                "Filtered offsite request to %(domain)r: %(request)s",
                {"domain": domain, "request": request},
                extra={"spider": self.crawler.spider},
            )
            self.stats.inc_value("offsite/domains")
        self.stats.inc_value("offsite/filtered")
        raise IgnoreRequest(f"Filtered offsite request to {domain!r}")

    def should_follow(self, request: Request, spider: Any) -> bool:
        """True when ``request`` is on site; override for another offsite policy."""
        self._refresh_host_regex(spider)
        if self.host_regex is _ALLOW_ALL:
            return True  # no allowed_domains: every host is on site
        # URLs such as javascript: links have no host name.
        host = urlparse_cached(request).hostname or ""
        return self.host_regex.search(host) is not None

    def get_host_regex(self, spider: Any) -> re.Pattern[str]:
        """A regex matching the allowed domains and their subdomains (all hosts if none)."""
        allowed_domains = getattr(spider, "allowed_domains", None)
        if not allowed_domains:
            return _ALLOW_ALL
        escaped = "|".join(re.escape(domain) for domain in allowed_domains if domain is not None)
        return re.compile(rf"^(.*\.)?({escaped})$")

    def _refresh_host_regex(self, spider: Any) -> None:
        # allowed_domains may change during the crawl; rebuild only when it does.
        allowed_domains = getattr(spider, "allowed_domains", None)
        if not allowed_domains and self._allowed_domains == []:
            return  # still none: every request comes here, so this case goes first
        allowed_domains = allowed_domains or []
        if not isinstance(allowed_domains, list):
            allowed_domains = list(allowed_domains)
        if allowed_domains != self._allowed_domains:
            self._allowed_domains = allowed_domains.copy()
            self.host_regex = self.get_host_regex(spider)
