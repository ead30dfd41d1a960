"""AutoThrottle: adapts each download slot's delay to the latency its server shows.

New slots start at max(DOWNLOAD_DELAY, AUTOTHROTTLE_START_DELAY). After each download the
slot's delay moves halfway towards latency / AUTOTHROTTLE_TARGET_CONCURRENCY (jumping
straight up when that target is higher), kept within [DOWNLOAD_DELAY,
AUTOTHROTTLE_MAX_DELAY]. A non-200 response may raise the delay but never lower it: error
pages are fast and would otherwise speed up a crawl that is being refused.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.throttle")


class AutoThrottle:
    """Adjusts ``slot.delay`` on every response_downloaded signal."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        settings = crawler.settings
        if not settings.getbool("AUTOTHROTTLE_ENABLED"):
            raise NotConfigured
        self.debug: bool = settings.getbool("AUTOTHROTTLE_DEBUG")
        self.target_concurrency: float = settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY")
        if self.target_concurrency <= 0.0:
            raise NotConfigured(
                f"AUTOTHROTTLE_TARGET_CONCURRENCY ({self.target_concurrency!r}) must be higher than 0."
            )
        self.mindelay: float = settings.getfloat("DOWNLOAD_DELAY")
        self.maxdelay: float = settings.getfloat("AUTOTHROTTLE_MAX_DELAY")
        crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> AutoThrottle:
        return cls(crawler)

    def _spider_opened(self, spider: Any) -> None:
        # The delay that slots created from now on start with.
        self.crawler.engine.downloader._delay = self._start_delay()

    def _start_delay(self) -> float:
        return max(self.mindelay, self.crawler.settings.getfloat("AUTOTHROTTLE_START_DELAY"))

    def _response_downloaded(self, response: Any, request: Any, spider: Any) -> None:
        meta = request.meta
        latency = meta.get("download_latency")
        if latency is None or meta.get("autothrottle_dont_adjust_delay", False) is True:
            return
        downloader = self.crawler.engine.downloader
        # The slot the downloader used, as Scrapy reads it; requests that never reached the
        # frontier (engine.download_async) carry no download_slot meta.
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        olddelay = slot.delay
        self._adjust_delay(slot, latency, response)
        if self.debug:
            logger.info(
                "slot: %(slot)s | conc:%(concurrency)2d | delay:%(delay)5d ms (%(delaydiff)+d) | "
                "latency:%(latency)5d ms | size:%(size)6d bytes",
                {
                    "slot": key,
                    "concurrency": len(slot.transferring),
                    "delay": slot.delay * 1000,
                    "delaydiff": (slot.delay - olddelay) * 1000,
                    "latency": latency * 1000,
                    "size": len(response.body),
                },
                extra={"spider": spider},
            )

    def _adjust_delay(self, slot: Any, latency: float, response: Any) -> None:
        """Move ``slot.delay`` towards the delay that keeps target_concurrency requests busy."""
        # A server answering in `latency` seconds keeps N requests in flight when one is
        # sent every latency / N seconds.
        target_delay = latency / self.target_concurrency
        # Halfway from the current delay, unless the target is higher: then go there at once.
        new_delay = max(target_delay, (slot.delay + target_delay) / 2.0)
        new_delay = min(max(self.mindelay, new_delay), self.maxdelay)
        if response.status != 200 and new_delay <= slot.delay:
            return
        slot.delay = new_delay
