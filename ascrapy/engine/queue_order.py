"""The order of the frontier's queues, read from the SCHEDULER_*_QUEUE classes themselves.

Scrapy's settings name queue classes (``scrapy.squeues.LifoMemoryQueue``...). The frontier
implements those of Scrapy's own kinds (memory, disk and SQLite queues, FIFO or LIFO, pickle
or marshal, under ScrapyPriorityQueue or DownloaderAwarePriorityQueue) with its per-slot
queues; for any other class ``native_order`` says None, and the scheduler runs as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ascrapy.utils.misc import load_object


@dataclass(frozen=True)
class QueueOrder:
    """LIFO or FIFO within a priority, for regular and for start requests, and how requests
    are written to disk."""

    lifo: bool = True
    start_lifo: bool = False
    start_apart: bool = True  # start requests after others of their priority (SCHEDULER_START_*_QUEUE set)
    encoding: str = "pickle"


# Scrapy's queue classes by kind: (LIFO?, encoding on disk). Settings name them by path (the
# defaults do): those paths are recognised without importing queuelib and sqlite3, which a
# crawl without JOBDIR does not need; any other value is loaded and compared as an object.
_QUEUES = {
    "LifoMemoryQueue": (True, "pickle"), "FifoMemoryQueue": (False, "pickle"),
    "PickleLifoDiskQueue": (True, "pickle"), "PickleFifoDiskQueue": (False, "pickle"),
    "MarshalLifoDiskQueue": (True, "marshal"), "MarshalFifoDiskQueue": (False, "marshal"),
    "PickleLifoSQLiteQueue": (True, "pickle"), "PickleFifoSQLiteQueue": (False, "pickle"),
    "MarshalLifoSQLiteQueue": (True, "marshal"), "MarshalFifoSQLiteQueue": (False, "marshal"),
}
_PRIORITY_QUEUES = ("ScrapyPriorityQueue", "DownloaderAwarePriorityQueue")
_MODULES = {"squeues": ("ascrapy.squeues", "scrapy.squeues"), "pqueues": ("ascrapy.pqueues", "scrapy.pqueues")}


def _known(value: Any, module: str, names: Iterable[str]) -> str | None:
    """The name of the class of ``module`` (squeues or pqueues) that ``value`` is, if any."""
    if isinstance(value, str):
        path, _, name = value.rpartition(".")
        if path in _MODULES[module] and name in names:
            return name
        value = load_object(value)
    if value is None:
        return None
    home = import_module(_MODULES[module][0])
    return next((name for name in names if getattr(home, name) is value), None)


def native_order(settings: Any, *, durable: bool) -> QueueOrder | None:
    """The order the SCHEDULER_*_QUEUE classes ask for, when the frontier implements them:
    with JOBDIR Scrapy's order comes from the disk queues, else from the memory queues.
    None for classes of another kind (they run as they are, under a SchedulerFrontier)."""
    if _known(settings.get("SCHEDULER_PRIORITY_QUEUE"), "pqueues", _PRIORITY_QUEUES) is None:
        return None
    kind = "DISK" if durable else "MEMORY"
    regular = _known(settings.get(f"SCHEDULER_{kind}_QUEUE"), "squeues", _QUEUES)
    start_setting = settings.get(f"SCHEDULER_START_{kind}_QUEUE")
    start = _known(start_setting, "squeues", _QUEUES) if start_setting else None
    disk = _known(settings.get("SCHEDULER_DISK_QUEUE"), "squeues", _QUEUES)
    if regular is None or (start_setting and start is None) or disk is None:
        return None
    return QueueOrder(
        lifo=_QUEUES[regular][0],
        start_lifo=start is not None and _QUEUES[start][0],
        start_apart=start is not None,  # else start requests are queued as any other
        encoding=_QUEUES[disk][1],
    )
