"""A stand-in for the engine's downloader, for the downloader-aware priority queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

from ascrapy import Request


@dataclass
class FakeSlot:
    active: set[object] = field(default_factory=set)


class FakeDownloader:
    """Slot keys from ``meta["download_slot"]`` or the host; ``start``/``finish`` move a
    request in and out of its slot's active set, as downloads would."""

    def __init__(self) -> None:
        self.slots: dict[str, FakeSlot] = {}

    def get_slot_key(self, request: Request) -> str:
        return request.meta.get("download_slot") or urlsplit(request.url).hostname or ""

    def start(self, request: Request) -> None:
        self.slots.setdefault(self.get_slot_key(request), FakeSlot()).active.add(request)

    def finish(self, request: Request) -> None:
        self.slots[self.get_slot_key(request)].active.discard(request)


def with_fake_engine(crawler):
    """``crawler`` with an engine whose downloader is a FakeDownloader."""
    crawler.engine = SimpleNamespace(downloader=FakeDownloader())
    return crawler


def slot_request(slot: str, name: str, **kwargs) -> Request:
    return Request(f"http://x.example/{name}", meta={"download_slot": slot}, **kwargs)
