"""Retry requests that failed for reasons that are likely temporary.

A retry is a copy of the request with ``retry_times`` in meta, ``dont_filter`` set and
a priority lowered by RETRY_PRIORITY_ADJUST, so the frontier lets it through again and
fresh requests go first. :func:`get_retry_request` lets spider callbacks do the same.
"""

from __future__ import annotations

import inspect
import logging
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import IgnoreRequest, NotConfigured
from ascrapy.middleware._compat import scrapy_object_name, warn_spider_arg
from ascrapy.utils.misc import load_object
from ascrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

retry_logger = logging.getLogger("scrapy.downloadermiddlewares.retry")


def _log_level(level: int | str) -> int:
    if isinstance(level, int):
        return level
    number = logging.getLevelName(level)
    if not isinstance(number, int):
        raise ValueError(f"Invalid give-up log level: {level!r}")
    return number


def _reason_name(reason: Any) -> str:
    """The stats name of a retry reason: exceptions by their Scrapy-style import path."""
    if isinstance(reason, type) and issubclass(reason, BaseException):
        return scrapy_object_name(reason)
    if callable(reason):
        reason = reason()
    if isinstance(reason, BaseException):
        return scrapy_object_name(type(reason))
    return str(reason)


def get_retry_request(
    request: Request,
    *,
    spider: Any,
    reason: str | Exception | type[Exception] = "unspecified",
    max_retry_times: int | None = None,
    priority_adjust: int | None = None,
    logger: logging.Logger = retry_logger,
    give_up_log_level: int | str | None = None,
    stats_base_key: str = "retry",
) -> Request | None:
    """Return a new request retrying ``request``, or None when its retries are used up.

    ``max_retry_times`` falls back to the ``max_retry_times`` meta key, then RETRY_TIMES;
    ``priority_adjust`` to RETRY_PRIORITY_ADJUST; ``give_up_log_level`` to
    RETRY_GIVE_UP_LOG_LEVEL. ``reason`` names the ``<stats_base_key>/reason_count/``
    stat: exceptions and exception classes by their import path.
    """
    crawler = spider.crawler
    settings = crawler.settings
    stats = crawler.stats
    retry_times = request.meta.get("retry_times", 0) + 1
    if max_retry_times is None:
        max_retry_times = request.meta.get("max_retry_times")
        if max_retry_times is None:
            max_retry_times = settings.getint("RETRY_TIMES")
    log_args = {"request": request, "retry_times": retry_times, "reason": reason}
    if retry_times <= max_retry_times:
        logger.debug(
            "Retrying %(request)s (failed %(retry_times)d times): %(reason)s",
            log_args,
            extra={"spider": spider},
        )
        new_request = request.copy()
        new_request.meta["retry_times"] = retry_times
        new_request.dont_filter = True
        if priority_adjust is None:
            priority_adjust = settings.getint("RETRY_PRIORITY_ADJUST")
        new_request.priority = request.priority + priority_adjust
        reason_name = _reason_name(reason)
        stats.inc_value(f"{stats_base_key}/count")
        stats.inc_value(f"{stats_base_key}/reason_count/{reason_name}")
        return new_request
    if give_up_log_level is None:
        give_up_log_level = settings["RETRY_GIVE_UP_LOG_LEVEL"]
    level = _log_level(give_up_log_level if give_up_log_level is not None else logging.ERROR)
    stats.inc_value(f"{stats_base_key}/max_reached")
    logger.log(
        level,
        "Gave up retrying %(request)s (failed %(retry_times)d times): %(reason)s",
        log_args,
        extra={"spider": spider},
    )
    return None


def _takes_spider(method: Any) -> bool:
    """True when ``method(request, reason, spider)`` is how it must be called."""
    if getattr(method, "__func__", None) is RetryMiddleware._retry:
        return False
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    spider = parameters.get("spider")
    if spider is not None:
        return spider.default is inspect.Parameter.empty
    positional = [
        p
        for p in parameters.values()
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    return len(positional) >= 3 and positional[2].default is inspect.Parameter.empty


def _load_exception_classes(paths: list[Any]) -> tuple[type[BaseException], ...]:
    return tuple(load_object(path) if isinstance(path, str) else path for path in paths)


class RetryMiddleware:
    """Retry on RETRY_HTTP_CODES responses and RETRY_EXCEPTIONS download errors: those a
    retry may cure (timeouts, lost connections). The others (a cancelled download, an
    unsupported scheme, an invalid URL) fail at once, with a debug line saying so.

    The ``dont_retry`` meta key turns it off per request; ``max_retry_times``,
    ``priority_adjust`` and ``give_up_log_level`` meta keys override the settings.
    Subclasses may override ``_retry(request, reason, spider)`` (the pre-2.13 hook).
    """

    crawler: CrawlerProtocol
    # Whether _retry is an override written for Scrapy < 2.13, which requires ``spider``.
    _retry_wants_spider: bool | None = None

    def __init__(self, settings: Any) -> None:
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.max_retry_times: int = settings.getint("RETRY_TIMES")
        self.retry_http_codes: set[int] = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.priority_adjust: int = settings.getint("RETRY_PRIORITY_ADJUST")
        self.give_up_log_level: int | str = settings.get("RETRY_GIVE_UP_LOG_LEVEL", "ERROR")
        self.exceptions_to_retry: tuple[type[BaseException], ...] = _load_exception_classes(
            settings.getlist("RETRY_EXCEPTIONS")
        )

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if spider is not None:
            warn_spider_arg("RetryMiddleware.process_response")
        if response.status not in self.retry_http_codes or request.meta.get("dont_retry", False):
            return response
        reason = response_status_message(response.status)
        return self._call_retry(request, reason) or response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Request | None:
        if spider is not None:
            warn_spider_arg("RetryMiddleware.process_exception")
        if request.meta.get("dont_retry", False):
            return None
        if isinstance(exception, self.exceptions_to_retry):
            return self._call_retry(request, exception)
        if not isinstance(exception, IgnoreRequest):
            retry_logger.debug(
                "Not retrying %(request)s: %(reason)s is not a transient error (RETRY_EXCEPTIONS)",
                {"request": request, "reason": _reason_name(exception)},
                extra={"spider": self.crawler.spider},
            )
        return None

    def _call_retry(self, request: Request, reason: Any) -> Request | None:
        if self._retry_wants_spider is None:
            self._retry_wants_spider = _takes_spider(self._retry)
        if self._retry_wants_spider:
            return self._retry(request, reason, self.crawler.spider)
        return self._retry(request, reason)

    def _retry(self, request: Request, reason: Any, spider: Any = None) -> Request | None:
        meta = request.meta
        return get_retry_request(
            request,
            reason=reason,
            spider=self.crawler.spider,
            max_retry_times=meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=meta.get("give_up_log_level", self.give_up_log_level),
        )
