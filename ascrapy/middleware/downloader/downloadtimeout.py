"""Give every request a ``download_timeout`` meta value from DOWNLOAD_TIMEOUT."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.deprecate import warn_on_deprecated_spider_attribute

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol


class DownloadTimeoutMiddleware:
    """The download handler reads ``download_timeout``; a value already in meta wins."""

    def __init__(self, timeout: float = 180) -> None:
        self._timeout: float = timeout

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        if hasattr(spider, "download_timeout"):
            warn_on_deprecated_spider_attribute("download_timeout", "DOWNLOAD_TIMEOUT")
            self._timeout = spider.download_timeout

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("DownloadTimeoutMiddleware.process_request")
        if self._timeout:
            request.meta.setdefault("download_timeout", self._timeout)
        return None
