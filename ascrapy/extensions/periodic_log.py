"""PeriodicLog: every LOGSTATS_INTERVAL seconds, one JSON log line of stats, deltas, timing.

PERIODIC_LOG_STATS and PERIODIC_LOG_DELTA are True or a dict with "include" / "exclude"
lists of substrings that pick stat names; PERIODIC_LOG_TIMING_ENABLED adds the timing
section. With none of the three, or no interval, the extension is not configured. The
line is logged once more when the spider closes.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.exporters.json_encoder import ScrapyJSONEncoder
from ascrapy.utils.asyncio import LoopingCall, create_looping_call

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.periodic_log")


def _section_setting(settings: Any, name: str) -> dict[str, Any] | None:
    """A dict setting, or {"enabled": True} / None for a plain true / false value."""
    try:
        return settings.getdict(name)
    except (TypeError, ValueError):
        return {"enabled": True} if settings.getbool(name) else None


class PeriodicLog:
    """Logs basic scraping stats periodically."""

    def __init__(
        self,
        stats: Any,
        interval: float = 60.0,
        ext_stats: dict[str, Any] | None = None,
        ext_delta: dict[str, Any] | None = None,
        ext_timing_enabled: bool = False,
    ) -> None:
        self.stats = stats
        self.interval = interval
        self._multiplier = 60.0 / interval
        self.task: LoopingCall | None = None
        self.encoder = ScrapyJSONEncoder(sort_keys=True, indent=4)
        self.ext_stats_enabled = bool(ext_stats)
        self.ext_stats_include: Sequence[str] = (ext_stats or {}).get("include", ())
        self.ext_stats_exclude: Sequence[str] = (ext_stats or {}).get("exclude", ())
        self.ext_delta_enabled = bool(ext_delta)
        self.ext_delta_include: Sequence[str] = (ext_delta or {}).get("include", ())
        self.ext_delta_exclude: Sequence[str] = (ext_delta or {}).get("exclude", ())
        self.ext_timing_enabled = ext_timing_enabled
        self.time_prev = datetime.now(tz=timezone.utc)
        self.delta_prev: dict[str, int | float] = {}
        self.stats_prev: dict[str, int | float] = {}

    @property
    def multiplier(self) -> float:
        warnings.warn("The PeriodicLog.multiplier attribute is deprecated.", ScrapyDeprecationWarning, stacklevel=2)
        return self._multiplier

    @multiplier.setter
    def multiplier(self, value: float) -> None:
        warnings.warn("The PeriodicLog.multiplier attribute is deprecated.", ScrapyDeprecationWarning, stacklevel=2)
        self._multiplier = value

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> PeriodicLog:
        settings = crawler.settings
        interval = settings.getfloat("LOGSTATS_INTERVAL")
        if not interval:
            raise NotConfigured
        ext_stats = _section_setting(settings, "PERIODIC_LOG_STATS")
        ext_delta = _section_setting(settings, "PERIODIC_LOG_DELTA")
        ext_timing_enabled = settings.getbool("PERIODIC_LOG_TIMING_ENABLED")
        if not (ext_stats or ext_delta or ext_timing_enabled):
            raise NotConfigured
        extension = cls(crawler.stats, interval, ext_stats, ext_delta, ext_timing_enabled)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.time_prev = datetime.now(tz=timezone.utc)
        self.delta_prev = {}
        self.stats_prev = {}
        self.task = create_looping_call(self.log)
        self.task.start(self.interval)

    def log(self) -> None:
        data: dict[str, Any] = {}
        if self.ext_timing_enabled:
            data.update(self.log_timing())
        if self.ext_delta_enabled:
            data.update(self.log_delta())
        if self.ext_stats_enabled:
            data.update(self.log_crawler_stats())
        logger.info(self.encoder.encode(data))

    def log_delta(self) -> dict[str, Any]:
        """Numeric stats picked by PERIODIC_LOG_DELTA, as the change since the last call."""
        include, exclude = self.ext_delta_include, self.ext_delta_exclude
        current = {
            key: value
            for key, value in self.stats.get_stats().items()
            if isinstance(value, (int, float)) and self.param_allowed(key, include, exclude)
        }
        previous = self.delta_prev
        delta = {key: value - previous.get(key, 0) for key, value in current.items()}
        self.delta_prev = current
        return {"delta": delta}

    def log_timing(self) -> dict[str, Any]:
        now = datetime.now(tz=timezone.utc)
        start_time = self.stats.get_value("start_time") or now
        timing = {
            "log_interval": self.interval,
            "start_time": start_time,
            "utcnow": now,
            "log_interval_real": (now - self.time_prev).total_seconds(),
            "elapsed": (now - start_time).total_seconds(),
        }
        self.time_prev = now
        return {"time": timing}

    def log_crawler_stats(self) -> dict[str, Any]:
        include, exclude = self.ext_stats_include, self.ext_stats_exclude
        return {
            "stats": {key: value for key, value in self.stats.get_stats().items()
                      if self.param_allowed(key, include, exclude)}
        }

    def param_allowed(self, stat_name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
        """Excluded by any exclude substring; else kept if it has an include substring
        (or when there are no include substrings)."""
        if any(pattern in stat_name for pattern in exclude):
            return False
        if not include:
            return True
        return any(pattern in stat_name for pattern in include)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.log()
        if self.task is not None and self.task.running:
            self.task.stop()
