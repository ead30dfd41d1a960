"""A small crawler for extension unit tests: real settings, signals and stats, a stub engine.

The stub engine only records what extensions ask of it (close_spider); its downloader holds
real frontier Slots, which is all AutoThrottle reads. End-to-end tests use the real engine.
"""

from __future__ import annotations

from typing import Any

from ascrapy.engine.frontier import Slot
from ascrapy.settings import Settings
from ascrapy.signalmanager import SignalManager
from ascrapy.spiders import Spider
from ascrapy.stats import MemoryStatsCollector
from ascrapy.utils.httpobj import urlparse_cached


class SlotsDownloader:
    """The part of the engine's downloader that extensions use: slots and the slot key."""

    def __init__(self, delay: float = 0.0) -> None:
        self.slots: dict[str, Slot] = {}
        self._delay = delay

    def get_slot_key(self, request: Any) -> str:
        return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""

    def add_slot(self, key: str, delay: float, concurrency: int = 8) -> Slot:
        slot = self.slots[key] = Slot(concurrency, delay, 0.0, key=key)
        return slot


class RecordingEngine:
    """Records close_spider calls; keeps only the first reason, as the real engine does."""

    def __init__(self, spider: Spider | None) -> None:
        self.spider = spider
        self.downloader = SlotsDownloader()
        self.close_calls: list[str] = []
        self.close_reason: str | None = None

    def close_spider(self, spider: Any = None, reason: str = "cancelled") -> None:
        self.close_calls.append(reason)
        if self.close_reason is None:
            self.close_reason = reason


class ExtCrawler:
    """What extensions read from a crawler: settings, signals, stats, spider, engine."""

    def __init__(self, settings: dict[str, Any] | None = None, spider_name: str = "ext-test") -> None:
        self.settings = Settings(settings)
        self.signals = SignalManager(self)
        self.stats = MemoryStatsCollector(self)
        self.spider: Spider | None = Spider(name=spider_name)
        self.spidercls = type(self.spider)
        self.engine = RecordingEngine(self.spider)
        self.stop_calls = 0

    async def stop_async(self) -> None:
        self.stop_calls += 1

