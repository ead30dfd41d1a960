"""Keep unsuccessful (non-2xx) responses away from callbacks unless they ask for them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import IgnoreRequest
from ascrapy.middleware._compat import warn_spider_arg

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self

    from ascrapy.http import Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.spidermiddlewares.httperror")


class HttpError(IgnoreRequest):
    """A non-2xx response was filtered; errbacks find it in ``failure.value.response``."""

    def __init__(self, response: Response, *args: Any, **kwargs: Any) -> None:
        self.response = response
        super().__init__(*args, **kwargs)


class HttpErrorMiddleware:
    """Let a non-2xx response through only when its status is allowed.

    Allowed, most specific first: the ``handle_httpstatus_all`` and
    ``handle_httpstatus_list`` request meta keys, HTTPERROR_ALLOW_ALL, the spider's
    ``handle_httpstatus_list`` attribute, HTTPERROR_ALLOWED_CODES.
    """

    crawler: CrawlerProtocol

    def __init__(self, settings: Any) -> None:
        self.handle_httpstatus_all: bool = settings.getbool("HTTPERROR_ALLOW_ALL")
        self.handle_httpstatus_list: list[int] = settings.getlist("HTTPERROR_ALLOWED_CODES")

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    def process_spider_input(self, response: Response, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("HttpErrorMiddleware.process_spider_input")
        status = response.status
        if 200 <= status < 300:
            return None
        meta = response.meta
        if meta.get("handle_httpstatus_all", False):
            return None
        if "handle_httpstatus_list" in meta:
            allowed_statuses = meta["handle_httpstatus_list"]
        elif self.handle_httpstatus_all:
            return None
        else:
            allowed_statuses = getattr(self.crawler.spider, "handle_httpstatus_list", self.handle_httpstatus_list)
        if status in allowed_statuses:
            return None
        raise HttpError(response, "Ignoring non-200 response")

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Any = None
    ) -> Iterable[Any] | None:
        if spider is not None:
            warn_spider_arg("HttpErrorMiddleware.process_spider_exception")
        if not isinstance(exception, HttpError):
            return None
        stats = self.crawler.stats
        stats.inc_value("httperror/response_ignored_count")
        stats.inc_value(f"httperror/response_ignored_status_count/{response.status}")
        logger.info(
            "Ignoring response %(response)r: HTTP status code is not handled or not allowed",
            {"response": response},
            extra={"spider": self.crawler.spider},
        )
        return ()
