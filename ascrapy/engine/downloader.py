"""The downloader: downloader middlewares around the download handlers.

Concurrency and delays live in the frontier's slots: after the downloader middlewares, every
download waits at its slot's gate (the frontier hands out a request only when its slot may
send, so the crawl's requests rarely wait there; robots.txt, media and ``engine.download``
ones queue there). The slot is freed as soon as the body is in.
"""

from __future__ import annotations

from typing import Any

from ascrapy import signals
from ascrapy.engine.interfaces import CrawlFrontier
from ascrapy.handlers import DownloadHandlers
from ascrapy.middleware.downloadermw import DownloaderMiddlewareManager


class Downloader:
    """Fetches a request through the downloader middlewares and the scheme's handler."""

    DOWNLOAD_SLOT = "download_slot"

    def __init__(self, crawler: Any, frontier: CrawlFrontier) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.signals = crawler.signals
        self.frontier = frontier
        self.handlers = DownloadHandlers(crawler)
        self.middleware = DownloaderMiddlewareManager.from_crawler(crawler)
        self.active: set[Any] = set()
        self.total_concurrency = self.settings.getint("CONCURRENT_REQUESTS")

    @property
    def slots(self) -> dict[str, Any]:
        return self.frontier.slots

    @property
    def _delay(self) -> float:
        """The delay of new slots (Scrapy's attribute, which AutoThrottle sets)."""
        return self.frontier.default_delay

    @_delay.setter
    def _delay(self, value: float) -> None:
        self.frontier.default_delay = value

    def get_slot_key(self, request: Any) -> str:
        return self.frontier.slot_key(request)

    def needs_backout(self) -> bool:
        return len(self.active) >= self.total_concurrency

    async def fetch(self, request: Any) -> Any:
        """The Response, or a Request to schedule instead; raises when the download failed."""
        self.active.add(request)
        try:
            return await self.middleware.download(self._download, request)
        finally:
            self.active.discard(request)

    async def _download(self, request: Any) -> Any:
        sig = self.signals
        spider = self.crawler.spider
        frontier = self.frontier
        try:
            if sig.has_receivers(signals.request_reached_downloader):
                sig.send_catch_log(signals.request_reached_downloader, request=request, spider=spider)
            if not frontier.try_enter(request):
                await frontier.enter(request)
            response = await self.handlers.download_request(request)
        finally:
            frontier.release(request)
            if sig.has_receivers(signals.request_left_downloader):
                sig.send_catch_log(signals.request_left_downloader, request=request, spider=spider)
        if sig.has_receivers(signals.response_downloaded):
            sig.send_catch_log(signals.response_downloaded, response=response, request=request, spider=spider)
        return response

    async def close(self) -> None:
        await self.handlers.close()
