"""The downloader: downloader middlewares around the download handlers.

Concurrency and delays live in the frontier's slots: after the downloader middlewares, every
download waits at its slot's gate (the frontier hands out a request only when its slot may
send, so the crawl's requests rarely wait there; robots.txt, media and ``engine.download``
ones queue there). The slot is freed as soon as the body is in.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ascrapy import signals
from ascrapy.engine.politeness import Politeness
from ascrapy.handlers import DownloadHandlers
from ascrapy.middleware.downloadermw import DownloaderMiddlewareManager

if TYPE_CHECKING:
    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol


class Downloader:
    """Fetches a request through the downloader middlewares and the scheme's handler."""

    DOWNLOAD_SLOT = "download_slot"

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.signals = crawler.signals
        self.politeness = Politeness(crawler.settings)  # the frontier hands out requests by it
        self.slots = self.politeness.slots
        self.handlers = DownloadHandlers(crawler)
        self.middleware = DownloaderMiddlewareManager.from_crawler(crawler)
        self.active: set[Request] = set()
        self.total_concurrency = self.settings.getint("CONCURRENT_REQUESTS")

    @property
    def _delay(self) -> float:
        """The delay of new slots (Scrapy's attribute, which AutoThrottle sets)."""
        return self.politeness.default_delay

    @_delay.setter
    def _delay(self, value: float) -> None:
        self.politeness.default_delay = value

    def get_slot_key(self, request: Request) -> str:
        return self.politeness.slot_key(request)

    def needs_backout(self) -> bool:
        return len(self.active) >= self.total_concurrency

    async def fetch(self, request: Request) -> Response | Request:
        """The Response, or a Request to schedule instead; raises when the download failed."""
        self.active.add(request)
        try:
            return await self.middleware.download_async(self._download, request)
        finally:
            self.active.discard(request)

    async def _download(self, request: Request) -> Response:
        sig = self.signals
        spider = self.crawler.spider
        gate = self.politeness
        try:
            if sig.has_receivers(signals.request_reached_downloader):
                sig.send_catch_log(signals.request_reached_downloader, request=request, spider=spider)
            if not gate.try_enter(request):
                await gate.enter(request)
            response = await self.handlers.download_request(request)
        finally:
            gate.release(request)
            if sig.has_receivers(signals.request_left_downloader):
                sig.send_catch_log(signals.request_left_downloader, request=request, spider=spider)
        if sig.has_receivers(signals.response_downloaded):
            sig.send_catch_log(signals.response_downloaded, response=response, request=request, spider=spider)
        return response

    def close(self) -> asyncio.Future[None] | None:
        """Close the slots and, in the background, the handlers' connections (Scrapy's close
        is synchronous): a future to wait for the connections, None when none was open."""
        for slot in self.slots.values():
            slot.close()
        closing = self.handlers.close()
        if closing is None:
            return None
        try:
            return asyncio.ensure_future(closing)
        except RuntimeError:  # called where no loop runs: close right here
            asyncio.run(closing)  # type: ignore[arg-type]
            return None
