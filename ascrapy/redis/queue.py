"""SCHEDULER_QUEUE_CLASS: how the shared queue is kept in Redis (scrapy-redis's three kinds).

The Redis frontier reads the kind from the class the setting names, scrapy-redis's or
these: PriorityQueue, a sorted set scored by -priority (the default); FifoQueue and
LifoQueue, lists (pushed on the left, taken from the right or the left).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ascrapy.utils.misc import load_object


class PriorityQueue:
    """A sorted set: the highest priority first, scrapy-redis's default."""

    kind: ClassVar[str] = "z"


class FifoQueue:
    """A list: first pushed, first taken."""

    kind: ClassVar[str] = "fifo"


class LifoQueue:
    """A list: last pushed, first taken."""

    kind: ClassVar[str] = "lifo"


_SCRAPY_REDIS_NAMES = {"PriorityQueue": "z", "FifoQueue": "fifo", "LifoQueue": "lifo", "SpiderQueue": "fifo",
                       "SpiderStack": "lifo", "SpiderPriorityQueue": "z"}


def queue_kind(setting: Any) -> str:
    """"z", "fifo" or "lifo" for the SCHEDULER_QUEUE_CLASS value."""
    if not setting:
        return PriorityQueue.kind
    if isinstance(setting, str):
        module, _, name = setting.rpartition(".")
        if module in ("scrapy_redis.queue", "ascrapy.redis.queue") and name in _SCRAPY_REDIS_NAMES:
            return _SCRAPY_REDIS_NAMES[name]
        setting = load_object(setting)
    kind = getattr(setting, "kind", None)
    if kind is None:
        kind = _SCRAPY_REDIS_NAMES.get(getattr(setting, "__name__", ""))
    if kind is None:
        raise ValueError(f"SCHEDULER_QUEUE_CLASS {setting!r} is none of PriorityQueue, FifoQueue, LifoQueue")
    return kind
