"""Count requests, responses, bytes and download errors under Scrapy's ``downloader/`` stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import NotConfigured
from ascrapy.middleware._compat import scrapy_object_name, warn_spider_arg
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.response import _STATUS_PHRASES

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

# len(b" HTTP/1.1\r\n") + len(b"Host: ") + len(b"\r\n"): the fixed part of a request head.
_REQUEST_LINE_AND_HOST_OVERHEAD = 11 + 6 + 2


def get_header_size(headers: Mapping[Any, Sequence[Any]]) -> int:
    """Size of the header lines as ``Name: value`` joined by CRLF (non-list values ignored)."""
    size = 0
    for name, values in headers.items():
        if isinstance(values, (list, tuple)):
            for value in values:
                size += len(name) + 2 + len(value)
    return size + 2 * (len(headers) - 1)


def get_status_size(response_status: int) -> int:
    """Size of ``HTTP/1.1 <status> <reason>\\r\\n`` for ``response_status``."""
    # Scrapy counts the reason phrases of Twisted's table (ascrapy.utils.response keeps a copy).
    return len(_STATUS_PHRASES.get(response_status, "")) + 15


def _request_size(request: Request) -> int:
    """Length of the request's raw HTTP/1.1 form, computed without building it."""
    parsed = urlparse_cached(request)
    target_size = len((parsed.path or "/").encode())
    if parsed.params:
        target_size += 1 + len(parsed.params.encode())
    if parsed.query:
        target_size += 1 + len(parsed.query.encode())
    size = len(request.method) + 1 + target_size + _REQUEST_LINE_AND_HOST_OVERHEAD
    size += len((parsed.hostname or "").encode())
    headers = request.headers
    if headers:
        lines = 0
        for name, values in headers.items():
            for value in values:
                size += len(name) + 2 + len(value)
                lines += 1
        # CRLF between the header lines, then the one closing the last of them.
        size += 2 * lines if lines else 2
    return size + 2 + len(request.body)


class DownloaderStats:
    """Keys: ``downloader/request_count``, ``request_method_count/<M>``, ``request_bytes``,
    ``response_count``, ``response_status_count/<N>``, ``response_bytes``,
    ``exception_count`` and ``exception_type_count/<module.Class>``."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        if not crawler.settings.getbool("DOWNLOADER_STATS"):
            raise NotConfigured
        return cls(crawler.stats)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("DownloaderStats.process_request")
        inc_value = self.stats.inc_value
        inc_value("downloader/request_count")
        inc_value(f"downloader/request_method_count/{request.method}")
        inc_value("downloader/request_bytes", _request_size(request))
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if spider is not None:
            warn_spider_arg("DownloaderStats.process_response")
        inc_value = self.stats.inc_value
        inc_value("downloader/response_count")
        inc_value(f"downloader/response_status_count/{response.status}")
        # Status line, headers, the blank line and the body, as sent on the wire.
        size = len(response.body) + get_header_size(response.headers) + get_status_size(response.status) + 4
        inc_value("downloader/response_bytes", size)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("DownloaderStats.process_exception")
        inc_value = self.stats.inc_value
        inc_value("downloader/exception_count")
        inc_value(f"downloader/exception_type_count/{scrapy_object_name(type(exception))}")
        return None
