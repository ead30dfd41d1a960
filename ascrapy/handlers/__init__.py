"""Download handlers by URL scheme (DOWNLOAD_HANDLERS), built on first use."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable
from typing import Any

from ascrapy.exceptions import NotConfigured, UnsupportedURLSchemeError
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.misc import build_from_crawler, load_object
from ascrapy.utils.python import without_none_values

logger = logging.getLogger("scrapy.core.downloader.handlers")


class DownloadHandlers:
    """Maps a URL scheme to the handler object that downloads it."""

    def __init__(self, crawler: Any) -> None:
        self._crawler = crawler
        self._schemes: dict[str, Any] = {}  # scheme -> class path or class
        self._handlers: dict[str, Any] = {}  # scheme -> handler instance
        self._notconfigured: dict[str, str] = {}
        handlers = without_none_values(crawler.settings.getwithbase("DOWNLOAD_HANDLERS"))
        for scheme, clspath in handlers.items():
            self._schemes[scheme] = clspath
            cls = load_object(clspath)
            if not getattr(cls, "lazy", True):
                self._load_handler(scheme)

    def _load_handler(self, scheme: str) -> Any:
        path = self._schemes[scheme]
        try:
            handler = build_from_crawler(load_object(path), self._crawler)
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

    def _get_handler(self, scheme: str) -> Any:
        handler = self._handlers.get(scheme)
        if handler is not None:
            return handler
        if scheme in self._notconfigured:
            return None
        if scheme not in self._schemes:
            self._notconfigured[scheme] = "no handler available for that scheme"
            return None
        return self._load_handler(scheme)

    async def download_request(self, request: Any) -> Any:
        scheme = urlparse_cached(request).scheme
        handler = self._get_handler(scheme)
        if handler is None:
            raise UnsupportedURLSchemeError(
                f"Unsupported URL scheme '{scheme}': {self._notconfigured[scheme]}"
            )
        result = handler.download_request(request)
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
