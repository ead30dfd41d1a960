"""What a running crawl holds right now (queued, in flight, per download slot), read from
the engine for the live views (metrics, the terminal status line). The stats collector
counts what happened; this is the part of a crawl's state that no stat holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class _FrontierView(Protocol):
    @property
    def queued(self) -> int: ...

    @property
    def in_flight(self) -> int: ...

    @property
    def pending(self) -> int: ...


class _SlotView(Protocol):
    active: set[object]
    size: int
    stored_size: int


class _DownloaderView(Protocol):
    slots: Mapping[str, _SlotView]


class _EngineView(Protocol):
    @property
    def frontier(self) -> _FrontierView | None: ...

    @property
    def downloader(self) -> _DownloaderView: ...


@dataclass(frozen=True, slots=True)
class SlotLoad:
    key: str
    in_flight: int
    queued: int


@dataclass(frozen=True, slots=True)
class CrawlLoad:
    """``pending``: requests pushed and not yet finished (queued, in flight or in a callback)."""

    queued: int = 0
    in_flight: int = 0
    pending: int = 0
    slots: tuple[SlotLoad, ...] = ()


def crawl_load(engine: _EngineView | None) -> CrawlLoad:
    """The engine's current load; all zero before the frontier exists and after the close."""
    frontier = getattr(engine, "frontier", None)
    if engine is None or frontier is None:
        return CrawlLoad()
    slots = getattr(getattr(engine, "downloader", None), "slots", None) or {}
    return CrawlLoad(
        queued=_int(frontier, "queued"),
        in_flight=_int(frontier, "in_flight"),
        pending=_int(frontier, "pending"),
        slots=tuple(
            SlotLoad(
                key=str(key),
                in_flight=len(getattr(slot, "active", ())),
                queued=_int(slot, "size") + _int(slot, "stored_size"),
            )
            for key, slot in list(slots.items())
        ),
    )


def _int(obj: object, name: str) -> int:
    """A count the engine exposes; 0 where a frontier or slot of another kind has none."""
    try:
        value = getattr(obj, name, 0)
    except Exception:  # a Scrapy-API scheduler's __len__ may fail: the view must not
        return 0
    return value if isinstance(value, int) else 0
