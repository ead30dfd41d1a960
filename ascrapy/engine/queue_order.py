"""The order of the frontier's queues, read from the SCHEDULER_*_QUEUE classes themselves.

Scrapy's settings name queue classes (``scrapy.squeues.LifoMemoryQueue``...). The frontier
implements those of Scrapy's own kinds (memory, disk and SQLite queues, FIFO or LIFO, pickle
or marshal, under ScrapyPriorityQueue or DownloaderAwarePriorityQueue) with its per-slot
queues; for any other class ``native_order`` says None, and the scheduler runs as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ascrapy import squeues
from ascrapy.pqueues import DownloaderAwarePriorityQueue, ScrapyPriorityQueue
from ascrapy.utils.misc import load_object


@dataclass(frozen=True)
class QueueOrder:
    """LIFO or FIFO within a priority, for regular and for start requests, and how requests
    are written to disk."""

    lifo: bool = True
    start_lifo: bool = False
    start_apart: bool = True  # start requests after others of their priority (SCHEDULER_START_*_QUEUE set)
    encoding: str = "pickle"


_LIFO = {
    squeues.LifoMemoryQueue, squeues.PickleLifoDiskQueue, squeues.MarshalLifoDiskQueue,
    squeues.PickleLifoSQLiteQueue, squeues.MarshalLifoSQLiteQueue,
}
_FIFO = {
    squeues.FifoMemoryQueue, squeues.PickleFifoDiskQueue, squeues.MarshalFifoDiskQueue,
    squeues.PickleFifoSQLiteQueue, squeues.MarshalFifoSQLiteQueue,
}
_MARSHAL = {
    squeues.MarshalLifoDiskQueue, squeues.MarshalFifoDiskQueue,
    squeues.MarshalLifoSQLiteQueue, squeues.MarshalFifoSQLiteQueue,
}
_PRIORITY_QUEUES = {ScrapyPriorityQueue, DownloaderAwarePriorityQueue}


def _queue_class(settings: Any, name: str) -> Any:
    value = settings.get(name)
    return load_object(value) if value else None


def native_order(settings: Any, *, durable: bool) -> QueueOrder | None:
    """The order the SCHEDULER_*_QUEUE classes ask for, when the frontier implements them:
    with JOBDIR Scrapy's order comes from the disk queues, else from the memory queues.
    None for classes of another kind (they run as they are, under a SchedulerFrontier)."""
    if _queue_class(settings, "SCHEDULER_PRIORITY_QUEUE") not in _PRIORITY_QUEUES:
        return None
    kind = "DISK" if durable else "MEMORY"
    regular = _queue_class(settings, f"SCHEDULER_{kind}_QUEUE")
    start = _queue_class(settings, f"SCHEDULER_START_{kind}_QUEUE")
    disk = _queue_class(settings, "SCHEDULER_DISK_QUEUE")
    known = _LIFO | _FIFO
    if regular not in known or (start is not None and start not in known) or (durable and disk not in known):
        return None
    return QueueOrder(
        lifo=regular in _LIFO,
        start_lifo=start in _LIFO,
        start_apart=start is not None,  # else start requests are queued as any other
        encoding="marshal" if disk in _MARSHAL else "pickle",
    )
