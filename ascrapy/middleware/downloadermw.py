"""The downloader middleware chain (scrapy.core.downloader.middleware).

process_request runs in order and may answer for the download; process_response and
process_exception run in reverse order. Each hook may be sync or async.
"""

from __future__ import annotations

import asyncio
import inspect
import warnings
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning, _InvalidOutput
from ascrapy.http import Request, Response
from ascrapy.middleware.manager import MiddlewareManager
from ascrapy.utils.conf import build_component_list
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.twisted_errors import seen_by_twisted

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

DownloadFunc = Callable[[Request], Awaitable[Response]]


class DownloaderMiddlewareManager(MiddlewareManager):
    """Wraps each download in the downloader middlewares (DOWNLOADER_MIDDLEWARES)."""

    component_name = "downloader middleware"

    def __init__(self, *middlewares: Any, crawler: CrawlerProtocol | None = None) -> None:
        self._requests: list[tuple[Callable[..., Any], bool]] = []
        self._responses: list[tuple[Callable[..., Any], bool]] = []
        self._exceptions: list[tuple[Callable[..., Any], bool]] = []
        super().__init__(*middlewares, crawler=crawler)

    @classmethod
    def _get_mwlist_from_settings(cls, settings: Any) -> list[Any]:
        return build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))

    def _add_middleware(self, mw: Any) -> None:
        if hasattr(mw, "process_request"):
            self.methods["process_request"].append(mw.process_request)
            self._requests.append((mw.process_request, self._track_spider_arg(mw.process_request)))
        if hasattr(mw, "process_response"):
            self.methods["process_response"].appendleft(mw.process_response)
            self._responses.insert(0, (mw.process_response, self._track_spider_arg(mw.process_response)))
        if hasattr(mw, "process_exception"):
            self.methods["process_exception"].appendleft(mw.process_exception)
            self._exceptions.insert(0, (mw.process_exception, self._track_spider_arg(mw.process_exception)))

    async def download_async(self, download_func: DownloadFunc, request: Request) -> Response | Request:
        """The Response (or a new Request to schedule) for ``request``; exceptions propagate
        when no process_exception handles them."""
        try:
            result = await self._process_request(download_func, request)
        except Exception as error:
            result = await self._process_exception(request, seen_by_twisted(error))
        if result is None:
            raise TypeError("Received None in process_response")
        if isinstance(result, Request):
            return result
        return await self._process_response(request, result)

    def download(self, download_func: Callable[[Any, Any], Any], request: Any, spider: Any = None) -> Any:
        """Deprecated (as in Scrapy 2.19): ``download_func(request, spider)`` may return any
        awaitable (or a Deferred, when Twisted is there); the result is a started Future."""
        warnings.warn(
            "DownloaderMiddlewareManager.download() is deprecated, use download_async() instead",
            ScrapyDeprecationWarning, stacklevel=2,
        )

        async def download_one(request: Any) -> Any:
            return await ensure_awaitable(download_func(request, spider))

        return asyncio.ensure_future(self.download_async(download_one, request))

    async def _process_request(self, download_func: DownloadFunc, request: Any) -> Any:
        spider = self._spider
        for method, needs_spider in self._requests:
            result = method(request, spider) if needs_spider else method(request)
            # Most hooks return None: only an answer is checked (and awaited if need be).
            if result is not None and (result := await _answer(result, method)) is not None:
                return result
        return await download_func(request)

    async def _process_response(self, request: Any, response: Any) -> Any:
        spider = self._spider
        for method, needs_spider in self._responses:
            response = method(request, response, spider) if needs_spider else method(request, response)
            if isinstance(response, Response):  # the usual answer: no awaitable check for it
                continue
            if inspect.isawaitable(response):
                response = await deferred_as_future(response, method)
            if isinstance(response, Request):
                return response
            if not isinstance(response, Response):
                raise _InvalidOutput(
                    f"Middleware {method.__qualname__} must return Response or Request, "
                    f"got {type(response).__name__}"
                )
        return response

    async def _process_exception(self, request: Any, error: Exception) -> Any:
        spider = self._spider
        for method, needs_spider in self._exceptions:
            result = method(request, error, spider) if needs_spider else method(request, error)
            if result is not None and (result := await _answer(result, method)) is not None:
                return result
        raise error


async def _answer(result: Any, method: Callable[..., Any]) -> Any:
    """A hook's result, awaited if it is awaitable: None, or a checked Response or Request."""
    if inspect.isawaitable(result):
        result = await deferred_as_future(result, method)
    return None if result is None else _checked_answer(result, method)


def _checked_answer(result: Any, method: Callable[..., Any]) -> Any:
    """A middleware's answer in place of the download: a Response or a Request, nothing else."""
    if isinstance(result, (Response, Request)):
        return result
    raise _InvalidOutput(
        f"Middleware {method.__qualname__} must return None, Response or Request, "
        f"got {type(result).__name__}"
    )
