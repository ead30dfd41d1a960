"""Set the ``User-Agent`` header from USER_AGENT unless the request has one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.deprecate import warn_on_deprecated_spider_attribute

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol


class UserAgentMiddleware:
    """A ``user_agent`` spider attribute still overrides the setting (deprecated)."""

    def __init__(self, user_agent: str | None = "Scrapy") -> None:
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.settings["USER_AGENT"])
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        if hasattr(spider, "user_agent"):
            warn_on_deprecated_spider_attribute("user_agent", "USER_AGENT")
            self.user_agent = spider.user_agent

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("UserAgentMiddleware.process_request")
        if self.user_agent:
            request.headers.setdefault(b"User-Agent", self.user_agent)
        return None
