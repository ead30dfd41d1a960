"""Download handlers by URL scheme (DOWNLOAD_HANDLERS), built on first use.

A handler is a class in DOWNLOAD_HANDLERS, built with ``from_crawler(crawler)`` (or
``from_settings``, or its constructor), whose objects have DownloadHandlerProtocol: an
``async def download_request(request)`` that returns the Response or raises the exceptions
of ascrapy.exceptions (DownloadTimeoutError, DownloadFailedError, ...), and ``lazy`` (False:
built when the crawl opens; True, the default: on its scheme's first request). ``close()``
is optional, and may return something to await. A ``from_crawler`` that raises
NotConfigured leaves its scheme unsupported.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from ascrapy.exceptions import NotConfigured, UnsupportedURLSchemeError
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.misc import build_from_crawler, load_object
from ascrapy.utils.python import without_none_values

if TYPE_CHECKING:
    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.core.downloader.handlers")


class DownloadHandlerProtocol(Protocol):
    """What a download handler object provides (``close()`` is optional: see the module)."""

    lazy: bool

    async def download_request(self, request: Request) -> Response:
        """The response to ``request``; raise to fail the download."""
        ...


class DownloadHandlers:
    """Maps a URL scheme to the handler object that downloads it."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self._crawler = crawler
        self._schemes: dict[str, Any] = {}  # scheme -> class path or class
        self._handlers: dict[str, DownloadHandlerProtocol] = {}  # scheme -> handler instance
        self._notconfigured: dict[str, str] = {}
        handlers = without_none_values(crawler.settings.getwithbase("DOWNLOAD_HANDLERS"))
        for scheme, clspath in handlers.items():
            self._schemes[scheme] = clspath
            cls = load_object(clspath)
            if not getattr(cls, "lazy", True):
                self._load_handler(scheme)

    def _load_handler(self, scheme: str) -> DownloadHandlerProtocol | None:
        path = self._schemes[scheme]
        try:
            handler: DownloadHandlerProtocol = build_from_crawler(load_object(path), self._crawler)
        except NotConfigured as error:
            self._notconfigured[scheme] = str(error)
            return None
        except Exception as error:
            logger.error(
                'Loading "%(clspath)s" for scheme "%(scheme)s"',
                {"clspath": path, "scheme": scheme},
                exc_info=True,
            )
            self._notconfigured[scheme] = str(error)
            return None
        self._handlers[scheme] = handler
        return handler

    def _get_handler(self, scheme: str) -> DownloadHandlerProtocol | None:
        handler = self._handlers.get(scheme)
        if handler is not None:
            return handler
        if scheme in self._notconfigured:
            return None
        if scheme not in self._schemes:
            self._notconfigured[scheme] = "no handler available for that scheme"
            return None
        return self._load_handler(scheme)

    async def download_request(self, request: Request) -> Response:
        scheme = urlparse_cached(request).scheme
        handler = self._get_handler(scheme)
        if handler is None:
            raise UnsupportedURLSchemeError(
                f"Unsupported URL scheme '{scheme}': {self._notconfigured[scheme]}"
            )
        result: Any = handler.download_request(request)  # a handler of Twisted's API returns a Deferred
        if not inspect.isawaitable(result):
            raise TypeError(
                f"{type(handler).__qualname__}.download_request must be an 'async def' method "
                f"(it returned {type(result).__name__})"
            )
        return await deferred_as_future(result, handler.download_request)

    def close(self) -> Awaitable[None] | None:
        """Close every handler: what to await for those whose close is asynchronous, or None
        when there is nothing to wait for."""
        waiting = []
        for handler in self._handlers.values():
            closer = getattr(handler, "close", None)
            if closer is not None and inspect.isawaitable(result := closer()):
                waiting.append(result)
        return _await_all(waiting) if waiting else None


async def _await_all(awaitables: list[Awaitable[Any]]) -> None:
    for awaitable in awaitables:
        await awaitable


if TYPE_CHECKING:
    # The bundled handlers are DownloadHandlerProtocol (checked by mypy, never run); the
    # s3:// one declines in from_crawler (NoReturn), so its scheme stays unsupported.
    from ascrapy.handlers.datauri import DataURIDownloadHandler
    from ascrapy.handlers.file import FileDownloadHandler
    from ascrapy.handlers.ftp import FTPDownloadHandler
    from ascrapy.handlers.http import HTTPDownloadHandler
    from ascrapy.handlers.s3 import S3DownloadHandler

    _BUNDLED: list[Callable[[CrawlerProtocol], DownloadHandlerProtocol]] = [
        DataURIDownloadHandler.from_crawler,
        FileDownloadHandler.from_crawler,
        FTPDownloadHandler.from_crawler,
        HTTPDownloadHandler.from_crawler,
        S3DownloadHandler.from_crawler,
    ]
