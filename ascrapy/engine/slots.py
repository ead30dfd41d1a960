"""Download slots: one per domain (or DOWNLOAD_SLOTS key, or IP), with concurrency and delay.

A slot is where politeness lives. Every download passes its gate (``Frontier.enter``):
at most ``concurrency`` transfers at once, and ``delay`` (varied by ``jitter``) between the
starts of two transfers. A slot also holds its share of the frontier's queue: requests by
priority, start requests after others of the same priority, so the frontier can hand out
the next request among the slots that may send now. Requests beyond the frontier's memory
budget wait in its store; the slot only counts them by priority (``stored``).
"""

from __future__ import annotations

import asyncio
import heapq
import random
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ascrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.settings import BaseSettings


def default_jitter(settings: BaseSettings) -> float:
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
    """A download slot: its gate (concurrency, delay) and its share of the queue.

    ``active`` holds the requests handed out for this slot and not yet released: reserved
    (popped, still in the downloader middlewares) or transferring (in the download
    handler, ``transferring``). Downloads that did not come from the queue (robots.txt,
    media, ``engine.download``) join ``transferring`` directly through the gate.
    """

    __slots__ = (
        "__dict__",
        "active",
        "concurrency",
        "delay",
        "entry_prio",
        "gen",
        "idle_since",
        "jitter",
        "key",
        "lastseen",
        "levels",
        "next_at",
        "prios",
        "reserved",
        "size",
        "stored",
        "stored_size",
        "throttle",
        "timer",
        "transferring",
        "waiters",
    )

    def __init__(self, concurrency: int, delay: float, jitter: float | bool = 0.0, *, key: str = "") -> None:
        self.key = key
        self.concurrency = concurrency
        self.delay = delay
        # Scrapy < 2.19 passed randomize_delay (a bool) here: True meant +-50%.
        self.jitter = (0.5 if jitter else 0.0) if isinstance(jitter, bool) else float(jitter)
        self.active: set[Request] = set()
        self.transferring: set[Request] = set()
        self.reserved = 0  # popped requests that have not reached the gate yet
        self.waiters: deque[tuple[Request, asyncio.Future[None]]] = deque()
        self.lastseen = 0.0
        self.next_at = 0.0  # loop time before which no transfer may start (the delay)
        self.levels: dict[int, tuple[deque[Request], deque[Request]]] = {}
        self.prios: list[int] = []  # heap of -priority, one entry per level
        self.size = 0  # requests queued in memory
        self.stored: dict[int, list[int]] = {}  # priority -> [regular, start] counts in the store
        self.stored_size = 0
        self.gen = 0  # bumps invalidate this slot's older entries in the ready heap
        self.entry_prio: int | None = None  # priority of this slot's valid ready entry
        self.timer: asyncio.TimerHandle | None = None
        self.idle_since: float | None = None
        self.throttle: Any = None

    # -- Scrapy's Slot surface ------------------------------------------------------------

    @property
    def queue(self) -> list[Request]:
        """The requests queued in memory for this slot (a copy)."""
        return list(self.queued())

    def free_transfer_slots(self) -> int:
        return self.concurrency - len(self.transferring)

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

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        while self.waiters:
            _, waiter = self.waiters.popleft()
            waiter.cancel()

    # -- the queue in memory --------------------------------------------------------------

    def push(self, request: Request, priority: int, is_start: bool) -> None:
        level = self.levels.get(priority)
        if level is None:
            level = self.levels[priority] = (deque(), deque())
            heapq.heappush(self.prios, -priority)
        level[1 if is_start else 0].append(request)
        self.size += 1

    def head_priority(self) -> int:
        """The highest priority queued here, in memory or in the store."""
        if not self.stored_size:
            return -self.prios[0]
        stored = max(self.stored)
        return stored if not self.size else max(stored, -self.prios[0])

    def pop(self, lifo: bool, start_lifo: bool) -> Request:
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

    def lowest_priority(self) -> int:
        return -max(self.prios)

    def evictable(self) -> Request | None:
        """With LIFO order, the queued request that would leave last (the oldest regular one
        of the lowest priority), taken out of the queue; None if that level only has start
        requests. The frontier moves it to its store when the memory budget is spent."""
        priority = self.lowest_priority()
        regular, start = self.levels[priority]
        if not regular:
            return None
        request = regular.popleft()
        if not start and not regular:
            del self.levels[priority]
            self.prios.remove(-priority)
            heapq.heapify(self.prios)
        self.size -= 1
        return request

    def unevict(self, request: Request) -> None:
        """Put back what ``evictable`` took (the store could not keep it)."""
        self.push(request, request.priority, False)
        self.levels[request.priority][0].rotate(1)

    def count_stored(self, priority: int, is_start: bool, delta: int) -> None:
        counts = self.stored.get(priority)
        if counts is None:
            counts = self.stored[priority] = [0, 0]
        counts[1 if is_start else 0] += delta
        self.stored_size += delta
        if not counts[0] and not counts[1]:
            del self.stored[priority]

    def queued(self) -> Iterator[Request]:
        for regular, start in self.levels.values():
            yield from regular
            yield from start

    def is_idle(self) -> bool:
        return not (self.size or self.stored_size or self.active or self.waiters)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(key={self.key!r}, concurrency={self.concurrency}, "
            f"delay={self.delay:.2f}, jitter={self.jitter!r}, active={len(self.active)}, "
            f"queued={self.size + self.stored_size})"
        )
