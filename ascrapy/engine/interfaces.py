"""The seams of the engine's scheduling, as typed protocols.

    ExecutionEngine ──CrawlFrontier──> Frontier (politeness core: slots, delays, priorities,
                                         pending count, idle; the queue in memory)
                                           ├──DupeFilter──> what was seen
                                           └──FrontierStore──> what waits beyond memory, and
                                                               what must survive a crash
    SCHEDULER = any class with Scrapy's scheduler API ──> SchedulerFrontier (the same core,
                                                          fed by that scheduler)

The acknowledgement rule every store keeps: a request handed out (``lease``) stays stored
until ``ack``, which the engine calls only when the request's children are pushed and every
item it produced has been written by every batch sink. A crash then repeats at most the
work in flight, and loses nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ascrapy.engine.slots import Slot
    from ascrapy.http import Request
    from ascrapy.spiders import Spider


@runtime_checkable
class DupeFilter(Protocol):
    """DUPEFILTER_CLASS: Scrapy's duplicate filter interface."""

    def request_seen(self, request: Request) -> bool: ...

    def log(self, request: Request, spider: Spider | None) -> None: ...


@dataclass
class StoredState:
    """What a store holds when a crawl opens: a count per (slot, priority, start request)."""

    counts: dict[tuple[str, int, bool], int] = field(default_factory=dict)
    in_flight: int = 0  # handed out and not acknowledged when the previous run ended

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class FrontierStore(Protocol):
    """Where queued requests wait beyond the frontier's memory budget, and (when
    ``durable``) where every accepted request is kept until it is acknowledged.

    Requests are stored per slot and priority, so that the frontier can load the next ones
    of a slot that may send (a slow site never holds back the others).
    """

    durable: bool

    def open(self, spider: Spider) -> StoredState: ...

    def add(self, request: Request, slot: str, priority: int, is_start: bool, *, in_memory: bool) -> bool:
        """Record an accepted request; ``in_memory`` says the frontier keeps a copy queued.
        False when the request cannot be stored (it then lives in memory only)."""
        ...

    def evict(self, request: Request, slot: str, priority: int, is_start: bool) -> bool:
        """The frontier drops its memory copy of a queued request: keep it here instead.
        False when the request cannot be stored (the frontier keeps it)."""
        ...

    def load(self, slot: str, priority: int, is_start: bool, count: int, *, newest_first: bool) -> list[Request]:
        """Up to ``count`` stored requests of one slot and priority, taken into memory."""
        ...

    def lease(self, request: Request) -> None:
        """``request`` was handed out for download."""
        ...

    def ack(self, request: Request) -> None:
        """``request`` is finished and its effects are durable: forget it."""
        ...

    def commit(self) -> None:
        """Make everything recorded so far durable (a no-op for stores that are not)."""
        ...

    def close(self) -> None: ...


class CrawlFrontier(Protocol):
    """What the engine, the downloader and the extensions use of the frontier."""

    slots: dict[str, Slot]
    default_delay: float
    on_idle: Callable[[], Awaitable[bool]] | None  # the engine's: spider_idle, True to stay open
    on_empty: Callable[[], None] | None  # the engine's: scheduler_empty
    paused: bool

    def open(self, spider: Spider) -> Awaitable[object] | None: ...

    def close(self, reason: str) -> Awaitable[object] | None: ...

    def push(self, request: Request) -> bool:
        """Queue ``request`` unless it is a duplicate; never blocks."""
        ...

    def enqueue_request(self, request: Request) -> bool:
        """Scrapy's name for ``push``."""
        ...

    async def pull(self) -> Request | None:
        """The next request whose slot may send; None once the crawl is over or stopped."""
        ...

    def try_enter(self, request: Request) -> bool:
        """Start the transfer of ``request`` now if its slot's gate allows it."""
        ...

    async def enter(self, request: Request) -> None:
        """Wait at the slot's gate (concurrency, delay) and start the transfer."""
        ...

    def release(self, request: Request) -> None:
        """The download of ``request`` is over (or never happened): free its place."""
        ...

    def ack(self, request: Request) -> None:
        """``request`` is finished for good (see the module's acknowledgement rule)."""
        ...

    def stop(self) -> None: ...

    def pause(self) -> None: ...

    def unpause(self) -> None: ...

    def hold(self) -> None: ...

    def unhold(self) -> None: ...

    async def wait_for_room(self, limit: int) -> None: ...

    def slot_key(self, request: Request) -> str: ...

    @property
    def pending(self) -> int: ...

    @property
    def queued(self) -> int: ...

    @property
    def in_flight(self) -> int: ...

    @property
    def holds(self) -> int: ...

    def __len__(self) -> int: ...


if TYPE_CHECKING:
    # The bundled dupe filters are DupeFilter (checked by mypy, never run); the frontiers
    # and DiskStore are checked where the engine builds them.
    from ascrapy.dupefilters import BaseDupeFilter, RFPDupeFilter
    from ascrapy.redis.dupefilter import BloomDupeFilter
    from ascrapy.redis.dupefilter import RFPDupeFilter as RedisRFPDupeFilter

    _DUPE_FILTERS: list[type[DupeFilter]] = [BaseDupeFilter, RFPDupeFilter, RedisRFPDupeFilter, BloomDupeFilter]
