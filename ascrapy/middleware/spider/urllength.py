"""Drop requests whose URL is longer than URLLENGTH_LIMIT."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ascrapy.exceptions import NotConfigured
from ascrapy.middleware.spider.base import BaseSpiderMiddleware

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.spidermiddlewares.urllength")


class UrlLengthMiddleware(BaseSpiderMiddleware):
    """Servers and browsers reject very long URLs; following them wastes requests."""

    crawler: CrawlerProtocol

    def __init__(self, maxlength: int) -> None:  # the crawler is set by from_crawler
        self.maxlength: int = maxlength

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        maxlength = crawler.settings.getint("URLLENGTH_LIMIT")
        if not maxlength:
            raise NotConfigured
        middleware = cls(maxlength)
        middleware.crawler = crawler
        return middleware

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if len(request.url) <= self.maxlength:
            return request
        logger.info(
            "Ignoring link (url length > %(maxlength)d): %(url)s ",
            {"maxlength": self.maxlength, "url": request.url},
            extra={"spider": self.crawler.spider},
        )
        self.crawler.stats.inc_value("urllength/request_ignored_count")
        return None
