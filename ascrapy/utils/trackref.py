"""Counting live instances of chosen classes, to find what leaks in a long crawl.

A class that inherits from ``object_ref`` has each instance recorded, with its creation
time, in a weak mapping: recording costs one dict insert and keeps nothing alive.
``print_live_refs()`` (the telnet console's ``prefs()`` in Scrapy) shows the counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from time import monotonic_ns
from typing import Any
from weakref import WeakKeyDictionary

__all__ = ["format_live_refs", "get_oldest", "iter_all", "live_refs", "object_ref", "print_live_refs"]

# class -> {instance: creation time in monotonic nanoseconds}
live_refs: WeakKeyDictionary[type, WeakKeyDictionary[object, int]] = WeakKeyDictionary()


class object_ref:  # noqa: N801 - Scrapy's name
    """Inherit from this instead of ``object`` to have live instances counted."""

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        instance = object.__new__(cls)
        instances = live_refs.get(cls)
        if instances is None:
            instances = live_refs[cls] = WeakKeyDictionary()
        instances[instance] = monotonic_ns()
        return instance


def format_live_refs(ignore: Any = type(None)) -> str:
    """A table of live instance counts per class, with the age of the oldest one.

    ``ignore``: a class, or tuple of classes, whose instances (and subclasses') are left out.
    """
    now = monotonic_ns()
    rows = ["Live References", ""]
    for cls, instances in sorted(live_refs.items(), key=lambda pair: pair[0].__name__):
        if not instances or issubclass(cls, ignore):
            continue
        age = int((now - min(instances.values())) // 1e9)
        rows.append(f"{cls.__name__:<30} {len(instances):6}   oldest: {age}s ago")
    return "\n".join(rows) + "\n"


def print_live_refs(*args: Any, **kwargs: Any) -> None:
    """Print format_live_refs(...)."""
    print(format_live_refs(*args, **kwargs))


def get_oldest(class_name: str) -> Any:
    """The oldest live instance of the tracked class named ``class_name``, or None."""
    for cls, instances in live_refs.items():
        if cls.__name__ == class_name:
            if not instances:
                return None
            return min(instances.items(), key=itemgetter(1))[0]
    return None


def iter_all(class_name: str) -> Iterable[Any]:
    """Every live instance of the tracked class named ``class_name``."""
    for cls, instances in live_refs.items():
        if cls.__name__ == class_name:
            return instances.keys()
    return ()
