"""The messages of the engine's per-page and per-item log lines (scrapy.logformatter).

Each method returns ``{"level", "msg", "args"}`` so a project can subclass LogFormatter
(LOG_FORMATTER) to reword or silence a line, as in Scrapy.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from ascrapy.failure import Failure

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

CRAWLEDMSG = "Crawled (%(status)s) %(request)s%(request_flags)s (referer: %(referer)s)%(response_flags)s"
SCRAPEDMSG = "Scraped from %(src)s" + os.linesep + "%(item)s"
DROPPEDMSG = "Dropped: %(exception)s" + os.linesep + "%(item)s"
ITEMERRORMSG = "Error processing %(item)s"
SPIDERERRORMSG = "Spider error processing %(request)s (referer: %(referer)s)"
DOWNLOADERRORMSG_SHORT = "Error downloading %(request)s"
DOWNLOADERRORMSG_LONG = "Error downloading %(request)s: %(errmsg)s"


def _referer(request: Any) -> str | None:
    referer = request.headers.get(b"Referer") if request is not None else None
    if referer is None:
        return None
    return referer.decode("utf-8", "replace") if isinstance(referer, bytes) else str(referer)


class LogFormatter:
    """Builds the log records for crawled pages, scraped, dropped and failed items, errors."""

    def __init__(self, dropitem_log_level: str = "WARNING") -> None:
        self._dropitem_level = logging.getLevelName(dropitem_log_level) if isinstance(
            dropitem_log_level, str
        ) else dropitem_log_level

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> LogFormatter:
        return cls(crawler.settings.get("DEFAULT_DROPITEM_LOG_LEVEL", "WARNING") or "WARNING")

    def crawled(self, request: Any, response: Any, spider: Any = None) -> dict[str, Any]:
        request_flags = f" {request.flags!s}" if request.flags else ""
        response_flags = f" {response.flags!s}" if response.flags else ""
        return {
            "level": logging.DEBUG,
            "msg": CRAWLEDMSG,
            "args": {
                "status": response.status,
                "request": request,
                "request_flags": request_flags,
                "referer": _referer(request),
                "response_flags": response_flags,
                "flags": response_flags,
            },
        }

    def scraped(self, item: Any, response: Any, spider: Any = None) -> dict[str, Any]:
        src: Any = response.getErrorMessage() if isinstance(response, Failure) else response
        return {"level": logging.DEBUG, "msg": SCRAPEDMSG, "args": {"src": src, "item": item}}

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        level = getattr(exception, "log_level", None)
        if level is None:
            level = self._dropitem_level
        if isinstance(level, str):
            level = logging.getLevelName(level.upper())
        return {"level": level, "msg": DROPPEDMSG, "args": {"exception": exception, "item": item}}

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        return {"level": logging.ERROR, "msg": ITEMERRORMSG, "args": {"item": item}}

    def spider_error(self, failure: Any, request: Any, response: Any, spider: Any = None) -> dict[str, Any]:
        return {
            "level": logging.ERROR,
            "msg": SPIDERERRORMSG,
            "args": {"request": request, "referer": _referer(request)},
        }

    def download_error(
        self, failure: Any, request: Any, spider: Any = None, errmsg: str | None = None
    ) -> dict[str, Any]:
        args: dict[str, Any] = {"request": request}
        if errmsg:
            args["errmsg"] = errmsg
            msg = DOWNLOADERRORMSG_LONG
        else:
            msg = DOWNLOADERRORMSG_SHORT
        return {"level": logging.ERROR, "msg": msg, "args": args}


def log_formatted(logger: logging.Logger, record: dict[str, Any] | None, **kwargs: Any) -> None:
    """Emit a LogFormatter record (None means the formatter silenced it)."""
    if not record:
        return
    level = record.get("level", logging.INFO)
    if logger.isEnabledFor(level):
        logger.log(level, record.get("msg", ""), record.get("args", {}), **kwargs)


def debug_line_is_off(formatter: Any, method: str, logger: logging.Logger) -> bool:
    """True when ``formatter.<method>`` is LogFormatter's own (always a DEBUG record) and no
    DEBUG record of ``logger`` would be seen: the per-page and per-item lines then cost
    nothing to build. Scrapy's logging leaves the root logger at NOTSET and filters by the
    handlers' levels, so the logger alone says yes to DEBUG even at LOG_LEVEL=INFO."""
    if getattr(type(formatter), method) is not getattr(LogFormatter, method):
        return False
    return not logger.isEnabledFor(logging.DEBUG) or not _reaches_anyone(logger, logging.DEBUG)


def _reaches_anyone(logger: logging.Logger, level: int) -> bool:
    """Whether a record at ``level`` from ``logger`` would be seen by a filter or handler,
    following the same path as ``Logger.handle`` and ``Logger.callHandlers``."""
    if logger.filters:  # the originating logger's filters see every record
        return True
    found = False
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            found = True
            if level >= handler.level:
                return True
        if not current.propagate:
            break
        current = current.parent
    if found:
        return False
    last_resort = logging.lastResort
    return last_resort is None or level >= last_resort.level
