"""BaseSpiderMiddleware (Scrapy 2.13+): write one hook per request or item, get every path.

A subclass overrides :meth:`~BaseSpiderMiddleware.get_processed_request` and/or
:meth:`~BaseSpiderMiddleware.get_processed_item`; the base class applies them to the
start requests (``process_start``) and to callback output, both the synchronous
``process_spider_output`` and the asynchronous ``process_spider_output_async``, so the
middleware manager never has to convert between the two.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ascrapy.http import Request
from ascrapy.middleware._compat import warn_spider_arg

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Response
    from ascrapy.protocols import CrawlerProtocol


class BaseSpiderMiddleware:
    """Optional base class for spider middlewares that look at output one object at a time."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for obj in start:
            if (obj := self._get_processed(obj, None)) is not None:
                yield obj

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        if spider is not None:
            warn_spider_arg(f"{type(self).__qualname__}.process_spider_output")
        if response is not None:
            self.start_output(response)
        return self._process_output(response, result)

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        # An async generator function, so that managers can tell it apart by inspection.
        if spider is not None:
            warn_spider_arg(f"{type(self).__qualname__}.process_spider_output_async")
        if response is not None:
            self.start_output(response)
        get_processed = self._get_processed
        async for obj in result:
            if (obj := get_processed(obj, response)) is not None:
                yield obj

    def _process_output(self, response: Response | None, result: Iterable[Any]) -> Iterator[Any]:
        get_processed = self._get_processed
        for obj in result:
            if (obj := get_processed(obj, response)) is not None:
                yield obj

    def _get_processed(self, obj: Any, response: Response | None) -> Any:
        if isinstance(obj, Request):
            return self.get_processed_request(obj, response)
        return self.get_processed_item(obj, response)

    def start_output(self, response: Response) -> None:
        """Called once per response before its output goes through the hooks (ascrapy's
        addition, so that the manager can run these hooks without a generator per layer)."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        """Return ``request``, another request, or None to drop it.

        ``response`` is the response whose callback produced the request, or None for
        start requests.
        """
        return request

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """Return ``item``, another item, or None to drop it (``response`` as above)."""
        return item
