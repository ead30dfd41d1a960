"""MemoryDebugger: at spider close, records uncollectable garbage and live tracked objects.

Enabled by MEMDEBUG_ENABLED. Stats: memdebug/gc_garbage_count and, for every class tracked
by ascrapy.utils.trackref with instances still alive, memdebug/live_refs/<class name>.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils.trackref import live_refs

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class MemoryDebugger:
    """Fills the memdebug/* stats when the spider closes."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> MemoryDebugger:
        if not crawler.settings.getbool("MEMDEBUG_ENABLED"):
            raise NotConfigured
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any, reason: str) -> None:
        gc.collect()
        self.stats.set_value("memdebug/gc_garbage_count", len(gc.garbage))
        for cls, instances in list(live_refs.items()):
            if instances:
                self.stats.set_value(f"memdebug/live_refs/{cls.__name__}", len(instances))
