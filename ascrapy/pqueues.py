"""Priority queues for the scheduler (scrapy.pqueues).

``ScrapyPriorityQueue`` keeps one downstream queue (SCHEDULER_*_QUEUE) per priority, and one
more per priority for start requests when it is given a start queue class.
``DownloaderAwarePriorityQueue`` keeps one ``ScrapyPriorityQueue`` per download slot and
pops from the slot with the fewest downloads in progress.

With a non-empty ``key`` the queues persist under that directory: ``<key>/<-priority>`` for
a downstream queue, ``<key>/<-priority>s`` for a start queue, and for the downloader-aware
queue one ``<key>/<_path_safe(slot)>`` directory per slot (Scrapy 2.19's layout).
``close()`` returns the state to pass back (as ``startprios``) to resume.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sized
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from ascrapy.utils.misc import build_from_crawler

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.pqueues")


def _path_safe(text: str) -> str:
    """A directory name for a slot key: unsafe characters become ``_``, and an MD5 suffix of
    the original keeps two keys that map to the same characters apart."""
    readable = "".join(char if char.isalnum() or char in "-._" else "_" for char in text)
    digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{readable}-{digest}"


class QueueProtocol(Protocol):
    """A downstream queue of ``ScrapyPriorityQueue``. ``peek()`` (the next request ``pop``
    would return) is optional: a queue without it makes the priority queue's peek raise
    NotImplementedError."""

    def push(self, request: Request) -> None: ...

    def pop(self) -> Request | None: ...

    def close(self) -> None: ...

    def __len__(self) -> int: ...


def _peek_into(queue: QueueProtocol) -> Request | None:
    peek = getattr(queue, "peek", None)
    if peek is None:
        raise NotImplementedError("The underlying queue class does not implement 'peek'")
    request: Request | None = peek()
    return request


class ScrapyPriorityQueue:
    """Requests by priority (higher ``Request.priority`` first); within one priority the
    downstream queue decides the order (FIFO, LIFO). With ``start_queue_cls``, start requests
    (``meta["is_start_request"]``) go to queues of their own and, at equal priority, pop after
    the others: a crawl follows links before it takes the next start URL.

    Internally a priority is the negated ``Request.priority`` (lower pops first), as in
    ``startprios`` and in the directory names.
    """

    @classmethod
    def from_crawler(
        cls,
        crawler: CrawlerProtocol,
        downstream_queue_cls: type[QueueProtocol],
        key: str,
        startprios: Iterable[int] = (),
        *,
        start_queue_cls: type[QueueProtocol] | None = None,
    ) -> Self:
        return cls(crawler, downstream_queue_cls, key, startprios, start_queue_cls=start_queue_cls)

    def __init__(
        self,
        crawler: CrawlerProtocol,
        downstream_queue_cls: type[QueueProtocol],
        key: str,
        startprios: Iterable[int] = (),
        *,
        start_queue_cls: type[QueueProtocol] | None = None,
    ) -> None:
        self.crawler = crawler
        self.downstream_queue_cls = downstream_queue_cls
        self._start_queue_cls = start_queue_cls
        self.key = key
        # Only queues holding requests are kept (push and pop drop emptied ones), so the
        # lowest key of either dict is the priority pop serves next.
        self.queues: dict[int, QueueProtocol] = {}
        self._start_queues: dict[int, QueueProtocol] = {}
        self.curprio: int | None = None
        self.init_prios(startprios)

    def init_prios(self, startprios: Iterable[int]) -> None:
        """Reopen the queues a previous ``close()`` reported; empty ones are let go."""
        for priority in dict.fromkeys(startprios):  # each queue opened once
            self._reopen(self.queues, priority, self.qfactory)
            if self._start_queue_cls is not None:
                self._reopen(self._start_queues, priority, self._sqfactory)
        self._update_curprio()

    @staticmethod
    def _reopen(queues: dict[int, QueueProtocol], priority: int, factory: Callable[[int], QueueProtocol]) -> None:
        queue = factory(priority)
        if len(queue):
            queues[priority] = queue
        else:
            queue.close()

    def qfactory(self, key: int) -> QueueProtocol:
        return build_from_crawler(self.downstream_queue_cls, self.crawler, f"{self.key}/{key}")

    def _sqfactory(self, key: int) -> QueueProtocol:
        assert self._start_queue_cls is not None
        return build_from_crawler(self._start_queue_cls, self.crawler, f"{self.key}/{key}s")

    def priority(self, request: Request) -> int:
        return -request.priority

    def push(self, request: Request) -> None:
        """Store ``request``; a ValueError from the downstream queue (it cannot serialize the
        request) propagates, and leaves no empty queue behind."""
        priority = self.priority(request)
        is_start = self._start_queue_cls is not None and request.meta.get("is_start_request", False)
        queues = self._start_queues if is_start else self.queues
        queue = queues.get(priority)
        if queue is None:
            queue = queues[priority] = self._sqfactory(priority) if is_start else self.qfactory(priority)
        try:
            queue.push(request)
        except Exception:
            if not len(queue):
                del queues[priority]
                queue.close()
            raise
        if self.curprio is None or priority < self.curprio:
            self.curprio = priority

    def _next_queue(self) -> tuple[dict[int, QueueProtocol], QueueProtocol] | None:
        """The queue ``pop`` takes from: at the current priority, other requests before
        start requests."""
        if self.curprio is None:
            return None
        for queues in (self.queues, self._start_queues):
            queue = queues.get(self.curprio)
            if queue is not None:
                return queues, queue
        return None

    def pop(self) -> Request | None:
        found = self._next_queue()
        if found is None:
            return None
        queues, queue = found
        request = queue.pop()
        if not len(queue):
            assert self.curprio is not None
            del queues[self.curprio]
            queue.close()
            self._update_curprio()
        return request

    def peek(self) -> Request | None:
        """The request ``pop`` would return, left in place; NotImplementedError when the
        downstream queue has no ``peek``."""
        found = self._next_queue()
        return None if found is None else _peek_into(found[1])

    def _update_curprio(self) -> None:
        self.curprio = min([*self.queues, *self._start_queues], default=None)

    def close(self) -> list[int]:
        """Close every queue; the priorities that still hold requests, for ``startprios``."""
        active = sorted({*self.queues, *self._start_queues})
        for queues in (self.queues, self._start_queues):
            for queue in queues.values():
                queue.close()
            queues.clear()
        self.curprio = None
        return active

    def __len__(self) -> int:
        return sum(len(queue) for queues in (self.queues, self._start_queues) for queue in queues.values())


class _ActiveSlot(Protocol):
    @property
    def active(self) -> Sized: ...


class _SlotsView(Protocol):
    """The part of the engine's downloader the downloader-aware queue reads."""

    @property
    def slots(self) -> Mapping[str, _ActiveSlot]: ...

    def get_slot_key(self, request: Request) -> str: ...


class DownloaderInterface:
    """Download slot keys and their downloads in progress, from ``crawler.engine.downloader``."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.downloader: _SlotsView = crawler.engine.downloader

    def stats(self, possible_slots: Iterable[str]) -> list[tuple[int, str]]:
        """(downloads in progress, slot) for each of ``possible_slots``."""
        return [(self._active_downloads(slot), slot) for slot in possible_slots]

    def get_slot_key(self, request: Request) -> str:
        return self.downloader.get_slot_key(request)

    def _active_downloads(self, slot: str) -> int:
        found = self.downloader.slots.get(slot)
        return 0 if found is None else len(found.active)


class DownloaderAwarePriorityQueue:
    """One ``ScrapyPriorityQueue`` per download slot; ``pop`` serves the slot with the fewest
    downloads in progress, so one busy domain does not hold the others back. Slots that tie
    take turns, in slot-key order after the slot served last.

    It cannot tell which slot an IP-based slot key (CONCURRENT_REQUESTS_PER_IP) belongs to
    before the download, hence the refusal.
    """

    @classmethod
    def from_crawler(
        cls,
        crawler: CrawlerProtocol,
        downstream_queue_cls: type[QueueProtocol],
        key: str,
        startprios: Mapping[str, Iterable[int]] | None = None,
        *,
        start_queue_cls: type[QueueProtocol] | None = None,
    ) -> Self:
        return cls(crawler, downstream_queue_cls, key, startprios, start_queue_cls=start_queue_cls)

    def __init__(
        self,
        crawler: CrawlerProtocol,
        downstream_queue_cls: type[QueueProtocol],
        key: str,
        slot_startprios: Mapping[str, Iterable[int]] | None = None,
        *,
        start_queue_cls: type[QueueProtocol] | None = None,
    ) -> None:
        if crawler.settings.getint("CONCURRENT_REQUESTS_PER_IP") != 0:
            raise ValueError(f'"{self.__class__}" does not support CONCURRENT_REQUESTS_PER_IP')
        if slot_startprios and not isinstance(slot_startprios, dict):
            raise ValueError(
                "DownloaderAwarePriorityQueue accepts ``slot_startprios`` as a dict; "
                f"{slot_startprios.__class__!r} instance is passed. Most likely, it means the "
                "state is created by an incompatible priority queue. Only a crawl started "
                "with the same priority queue class can be resumed."
            )
        self._downloader_interface = DownloaderInterface(crawler)
        self.crawler = crawler
        self.downstream_queue_cls = downstream_queue_cls
        self._start_queue_cls = start_queue_cls
        self.key = key
        self.pqueues: dict[str, ScrapyPriorityQueue] = {}  # slot key -> its requests
        self._last_selected_slot: str | None = None
        for slot, startprios in (slot_startprios or {}).items():
            pqueue = self.pqfactory(slot, startprios)
            if len(pqueue):
                self.pqueues[slot] = pqueue
            else:
                self._drop(slot, pqueue)

    def pqfactory(self, slot: str, startprios: Iterable[int] = ()) -> ScrapyPriorityQueue:
        return ScrapyPriorityQueue(
            self.crawler,
            self.downstream_queue_cls,
            f"{self.key}/{_path_safe(slot)}",
            startprios,
            start_queue_cls=self._start_queue_cls,
        )

    def _next_slot(self, stats: list[tuple[int, str]], *, update_state: bool) -> str:
        """Among the slots with the fewest active downloads, the first one after the slot
        served last (in key order), wrapping around: ties take turns."""
        fewest = min(active for active, _ in stats)
        tied = [slot for active, slot in stats if active == fewest]
        last = self._last_selected_slot
        later = [slot for slot in tied if last is not None and slot > last]
        chosen = min(later) if later else min(tied)
        if update_state:
            self._last_selected_slot = chosen
        return chosen

    def push(self, request: Request) -> None:
        slot = self._downloader_interface.get_slot_key(request)
        pqueue = self.pqueues.get(slot)
        if pqueue is None:
            pqueue = self.pqueues[slot] = self.pqfactory(slot)
        try:
            pqueue.push(request)
        except Exception:
            if not len(pqueue):
                del self.pqueues[slot]
                self._drop(slot, pqueue)
            raise

    def pop(self) -> Request | None:
        stats = self._downloader_interface.stats(self.pqueues)
        if not stats:
            return None
        slot = self._next_slot(stats, update_state=True)
        pqueue = self.pqueues[slot]
        request = pqueue.pop()
        if not len(pqueue):
            del self.pqueues[slot]
            self._drop(slot, pqueue)
        return request

    def peek(self) -> Request | None:
        """The request ``pop`` would return now, left in place (the rotation does not move)."""
        stats = self._downloader_interface.stats(self.pqueues)
        if not stats:
            return None
        return self.pqueues[self._next_slot(stats, update_state=False)].peek()

    def _drop(self, slot: str, pqueue: ScrapyPriorityQueue) -> None:
        """Close an emptied slot's queue and remove its directory (unless files remain)."""
        pqueue.close()
        if self.key:
            with suppress(OSError):
                Path(self.key, _path_safe(slot)).rmdir()

    def close(self) -> dict[str, list[int]]:
        """Close every slot's queue; per slot, the priorities to resume (``startprios``)."""
        state = {slot: pqueue.close() for slot, pqueue in self.pqueues.items()}
        self.pqueues.clear()
        return state

    def __len__(self) -> int:
        return sum(len(pqueue) for pqueue in self.pqueues.values())

    def __contains__(self, slot: str) -> bool:
        return slot in self.pqueues
