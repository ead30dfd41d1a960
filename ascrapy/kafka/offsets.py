"""Which offsets of a consumer's partitions may be committed: in order, never past one still
being worked on.

Kafka keeps one committed offset per partition and group: "everything before this is done".
Messages finish out of order (one page is slow, another quick), so a finished message
behind an unfinished one waits: the committed offset only moves over a run of finished
messages from the front. Offsets need not be consecutive (compaction, transaction markers):
the order is the order in which the messages were handed out.

A partition taken away by a rebalance is forgotten; its messages that finish later change
nothing (another member has them now, from the last committed offset).

What a ``kill -9`` makes the group crawl again is every message not committed: those in
flight, and those finished since the last commit (``uncommitted``). The source counts both
against KAFKA_MAX_MESSAGES_IN_FLIGHT, so that this bound holds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable


class PartitionOffsets:
    """The handed-out offsets of one partition, from its assignment to this member until
    it is revoked (``live`` then turns False and nothing here changes any more)."""

    __slots__ = ("_done", "_finished", "_started", "committable", "committed", "live")

    def __init__(self) -> None:
        self._started: deque[int] = deque()
        self._done: set[int] = set()
        self._finished: deque[int] = deque()  # done, committable, not committed yet
        self.committable: int | None = None  # the next offset to read: all before it are done
        self.committed: int | None = None  # what the group has from us
        self.live = True

    @property
    def in_flight(self) -> int:
        """Messages handed out and not finished (or finished behind an unfinished one)."""
        return len(self._started)

    @property
    def uncommitted(self) -> int:
        """Messages finished and committable, not committed yet."""
        return len(self._finished)

    def started(self, offset: int) -> None:
        """The message at ``offset`` is handed out (offsets come in increasing order)."""
        if self._started and offset <= self._started[-1]:
            raise ValueError(f"offset {offset} handed out after {self._started[-1]}")
        self._started.append(offset)

    def finished(self, offset: int) -> None:
        """The message at ``offset`` is done; the committable offset moves over the done
        ones at the front."""
        if not self.live:
            return
        self._done.add(offset)
        started, done = self._started, self._done
        while started and started[0] in done:
            front = started.popleft()
            done.discard(front)
            self._finished.append(front)
            self.committable = front + 1

    def due(self) -> int | None:
        """The offset to commit now, or None when the group already has it."""
        if self.committable is None or self.committable == self.committed:
            return None
        return self.committable

    def mark_committed(self, offset: int) -> None:
        """The group has every message before ``offset``."""
        self.committed = offset
        finished = self._finished
        while finished and finished[0] < offset:
            finished.popleft()


class OffsetBook:
    """The ``PartitionOffsets`` of every partition this member owns now, by partition key
    (aiokafka's TopicPartition)."""

    def __init__(self) -> None:
        self._partitions: dict[Hashable, PartitionOffsets] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._partitions

    def get(self, key: Hashable) -> PartitionOffsets | None:
        return self._partitions.get(key)

    def keys(self) -> list[Hashable]:
        return list(self._partitions)

    def assign(self, keys: Iterable[Hashable]) -> None:
        for key in keys:
            if key not in self._partitions:
                self._partitions[key] = PartitionOffsets()

    def revoke(self, keys: Iterable[Hashable]) -> int:
        """Forget these partitions; the number of their messages still in flight."""
        left = 0
        for key in keys:
            partition = self._partitions.pop(key, None)
            if partition is not None:
                partition.live = False
                left += partition.in_flight
        return left

    def in_flight(self, keys: Iterable[Hashable] | None = None) -> int:
        if keys is None:
            return sum(partition.in_flight for partition in self._partitions.values())
        return sum(partition.in_flight for key in keys if (partition := self._partitions.get(key)) is not None)

    def uncommitted(self) -> int:
        """Messages finished and not committed yet, in every partition."""
        return sum(partition.uncommitted for partition in self._partitions.values())

    def due(self, keys: Iterable[Hashable] | None = None) -> dict[Hashable, int]:
        """{partition: offset} to commit, for these partitions (default: all)."""
        chosen = self._partitions if keys is None else {k: p for k in keys if (p := self._partitions.get(k))}
        return {key: offset for key, partition in chosen.items() if (offset := partition.due()) is not None}

    def committed(self, offsets: dict[Hashable, int]) -> None:
        """The group now has these offsets."""
        for key, offset in offsets.items():
            partition = self._partitions.get(key)
            if partition is not None:
                partition.mark_committed(offset)
