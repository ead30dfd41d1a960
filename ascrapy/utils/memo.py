"""The one memo the hot paths use: a dict that forgets everything when it is full.

Links, queries and origins repeat across a crawl's pages, so their answers are remembered.
Emptying a full memo costs one pass per ``size`` new keys; keeping it least-recently-used
would cost bookkeeping on every hit, and trimming the oldest key of a dict grows slower
with every key deleted before it. Reads are plain dict reads (``memo.get(key)``).
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ClearingMemo(dict[K, V]):
    """At most ``size`` remembered answers; ``keep`` empties the memo when it is full."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        super().__init__()
        if size < 1:
            raise ValueError(f"a memo keeps at least one answer, not {size}")
        self.size = size

    def keep(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key`` and return it."""
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value
