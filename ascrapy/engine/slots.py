"""Download slots: one per domain (or DOWNLOAD_SLOTS key), with concurrency and delay.

A slot also holds its share of the frontier's queue, so the frontier can pick the next
request among slots that may send now.
"""

from __future__ import annotations

import asyncio
import heapq
import random
from collections import deque
from typing import Any

from ascrapy.settings import SETTINGS_PRIORITIES


def default_jitter(settings: Any) -> float:
    """DOWNLOAD_DELAY_JITTER, or the deprecated RANDOMIZE_DOWNLOAD_DELAY when it was set."""
    randomize_priority = settings.getpriority("RANDOMIZE_DOWNLOAD_DELAY") or 0
    if randomize_priority <= SETTINGS_PRIORITIES["default"]:
        return settings.getfloat("DOWNLOAD_DELAY_JITTER", 0.5)
    if randomize_priority > (settings.getpriority("DOWNLOAD_DELAY_JITTER") or 0):
        return 0.5 if settings.getbool("RANDOMIZE_DOWNLOAD_DELAY") else 0.0
    return settings.getfloat("DOWNLOAD_DELAY_JITTER", 0.5)


def slot_jitter(slot_settings: dict[str, Any], default: float) -> float:
    """The jitter of a DOWNLOAD_SLOTS entry (``jitter``, or the older ``randomize_delay``)."""
    if "jitter" in slot_settings:
        return float(slot_settings["jitter"])
    if "randomize_delay" in slot_settings:
        return 0.5 if slot_settings["randomize_delay"] else 0.0
    return default


class Slot:
    """A download slot (a domain by default): its queue, concurrency and delay."""

    __slots__ = (
        "key", "concurrency", "delay", "jitter", "active", "lastseen", "next_at",
        "levels", "prios", "size", "gen", "entry_prio", "timer", "throttle", "__dict__",
    )

    def __init__(self, concurrency: int, delay: float, jitter: float | bool = 0.0, *, key: str = "") -> None:
        self.key = key
        self.concurrency = concurrency
        self.delay = delay
        # Scrapy < 2.19 passed randomize_delay (a bool) here: True meant +-50%.
        self.jitter = (0.5 if jitter else 0.0) if isinstance(jitter, bool) else float(jitter)
        self.active: set[Any] = set()
        self.lastseen = 0.0
        self.next_at = 0.0
        self.levels: dict[int, tuple[deque[Any], deque[Any]]] = {}
        self.prios: list[int] = []  # heap of -priority, one entry per level
        self.size = 0
        self.gen = 0  # bumps invalidate this slot's older entries in the ready heap
        self.entry_prio: int | None = None  # priority of this slot's valid ready entry
        self.timer: asyncio.TimerHandle | None = None
        self.throttle: Any = None

    @property
    def transferring(self) -> set[Any]:
        return self.active

    @property
    def queue(self) -> list[Any]:
        return [request for level in self.levels.values() for q in level for request in q]

    def free_transfer_slots(self) -> int:
        return self.concurrency - len(self.active)

    @property
    def randomize_delay(self) -> bool:
        """Deprecated in Scrapy 2.19 for ``jitter``."""
        return bool(self.jitter)

    @randomize_delay.setter
    def randomize_delay(self, value: bool) -> None:
        self.jitter = 0.5 if value else 0.0

    def download_delay(self) -> float:
        """The delay before this slot's next download: ``delay`` varied by +-``jitter``."""
        if not self.jitter:
            return self.delay
        return max(0.0, self.delay * (1 + random.uniform(-self.jitter, self.jitter)))

    def push(self, request: Any, priority: int, is_start: bool) -> None:
        level = self.levels.get(priority)
        if level is None:
            level = self.levels[priority] = (deque(), deque())
            heapq.heappush(self.prios, -priority)
        level[1 if is_start else 0].append(request)
        self.size += 1

    def head_priority(self) -> int:
        return -self.prios[0]

    def pop(self, lifo: bool, start_lifo: bool) -> Any:
        priority = -self.prios[0]
        regular, start = self.levels[priority]
        if regular:
            request = regular.pop() if lifo else regular.popleft()
        else:
            request = start.pop() if start_lifo else start.popleft()
        if not regular and not start:
            del self.levels[priority]
            heapq.heappop(self.prios)
        self.size -= 1
        return request

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(key={self.key!r}, concurrency={self.concurrency}, "
            f"delay={self.delay:.2f}, jitter={self.jitter!r}, active={len(self.active)}, "
            f"queued={self.size})"
        )
