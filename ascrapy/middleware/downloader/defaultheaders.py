"""Add DEFAULT_REQUEST_HEADERS to requests that do not set those headers themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ascrapy.middleware._compat import warn_spider_arg

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol


class DefaultHeadersMiddleware:
    """Headers set to ``None`` in the setting are left out, so a project can unset one."""

    def __init__(self, headers: Iterable[tuple[str, str]]) -> None:
        self._headers: Iterable[tuple[str, str]] = headers

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        configured = crawler.settings["DEFAULT_REQUEST_HEADERS"] or {}
        return cls([(name, value) for name, value in configured.items() if value is not None])

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("DefaultHeadersMiddleware.process_request")
        headers = request.headers
        for name, value in self._headers:
            headers.setdefault(name, value)
        return None
