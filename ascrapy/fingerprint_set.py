"""The set of fingerprints a dupefilter has seen, in about a third of a Python set's memory.

A set of 20-byte fingerprints costs about 100 bytes per entry (a bytes object, plus the
set's slot), and a long crawl keeps millions. Here recent fingerprints stay in a set (cheap
to test, and most duplicates are links seen a moment ago); when they reach a sixteenth of
the rest they are inserted into one sorted run of fixed-width records, 20 bytes each. An
index of every 64th record finds a record's block with ``bisect``; a bitmap with a bit per
record's prefix answers most "never seen" lookups without searching at all.
"""

from __future__ import annotations

import mmap
from bisect import bisect_right
from collections.abc import Iterable, Iterator

_BLOCK = 64  # records per index entry
_RECENT_SHARE = 16  # the recent set moves into the run at this fraction of it
_BITMAP_BITS_PER_RECORD = 8  # rebuilt at 16, used down to 8: a false "maybe" for 6-12% of new ones


class FingerprintSet:
    """``in``, ``add``, ``update``, ``len`` and iteration over fingerprints (bytes)."""

    def __init__(self, fingerprints: Iterable[bytes] = (), recent_minimum: int = 1 << 15) -> None:
        self.recent_minimum = recent_minimum
        self._recent: set[bytes] = set()
        self._width = 0  # the record width: the length of the first fingerprint stored
        self._run: bytes | mmap.mmap = b""  # sorted records
        self._index: list[bytes] = []  # the record at the start of each block
        self._odd: set[bytes] = set()  # fingerprints of another length than the records'
        self._bitmap = bytearray()
        self._bitmap_bits = 0
        self.update(fingerprints)

    def __contains__(self, fingerprint: object) -> bool:
        if fingerprint in self._recent:
            return True
        if not self._run or not isinstance(fingerprint, bytes):
            return False
        if len(fingerprint) != self._width:
            return fingerprint in self._odd
        bit = int.from_bytes(fingerprint[:8], "big") % self._bitmap_bits
        if not self._bitmap[bit >> 3] & (1 << (bit & 7)):
            return False
        return self._position(fingerprint)[1]

    def add(self, fingerprint: bytes) -> None:
        if fingerprint not in self:
            self.add_unseen(fingerprint)

    def add_unseen(self, fingerprint: bytes) -> None:
        """add() for a fingerprint the caller just found missing (it is not looked up again)."""
        recent = self._recent
        recent.add(fingerprint)
        if len(recent) >= self.recent_minimum and len(recent) * _RECENT_SHARE >= self._stored:
            self._store_recent()

    def update(self, fingerprints: Iterable[bytes]) -> None:
        """Add many at once (a resumed job's requests.seen): the new ones go into the run
        together, not a recent set at a time."""
        fresh = {fingerprint for fingerprint in fingerprints if fingerprint not in self}
        if len(fresh) < self.recent_minimum:
            for fingerprint in fresh:
                self.add_unseen(fingerprint)
            return
        self._recent |= fresh
        self._store_recent()

    @property
    def _stored(self) -> int:
        return len(self._run) // self._width if self._width else 0

    def __len__(self) -> int:
        return len(self._recent) + self._stored + len(self._odd)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._recent
        yield from self._odd
        run, width = self._run, self._width
        for start in range(0, len(run), width or 1):
            yield run[start:start + width]

    def _position(self, fingerprint: bytes) -> tuple[int, bool]:
        """Where ``fingerprint`` is, or would go, in the run, and whether it is there."""
        run, width = self._run, self._width
        block = bisect_right(self._index, fingerprint) - 1
        if block < 0:
            return 0, False
        low = block * _BLOCK
        high = min(low + _BLOCK, len(run) // width)
        while low < high:
            middle = (low + high) // 2
            start = middle * width
            record = run[start:start + width]
            if record < fingerprint:
                low = middle + 1
            elif record > fingerprint:
                high = middle
            else:
                return middle, True
        return low, False

    def _store_recent(self) -> None:
        """Insert the recent fingerprints into the run (one pass of copying, in C)."""
        recent, self._recent = self._recent, set()
        if not self._width:
            self._width = len(next(iter(recent)))
        width = self._width
        self._odd.update(fp for fp in recent if len(fp) != width)
        new = sorted(fp for fp in recent if len(fp) == width)
        if not new:
            return
        old_run = self._run
        # The run lives in its own anonymous mapping, handed back to the system when it is
        # replaced: a large heap block would leave a hole the size of the run behind.
        run = mmap.mmap(-1, len(old_run) + len(new) * width)
        if not old_run:  # the first run, or a resumed job's fingerprints: one copy
            run[:] = b"".join(new)
        else:
            self._insert(run, old_run, new)
        self._run = run
        if isinstance(old_run, mmap.mmap):
            old_run.close()
        self._index = [run[start:start + width] for start in range(0, len(run), _BLOCK * width)]
        if self._bitmap_bits < self._stored * _BITMAP_BITS_PER_RECORD:
            self._bitmap_bits = max(self._stored * 2 * _BITMAP_BITS_PER_RECORD, 1 << 16)
            self._bitmap = bytearray((self._bitmap_bits + 7) // 8)
            self._mark(run[start:start + width] for start in range(0, len(run), width))
        else:
            self._mark(new)

    def _insert(self, run: mmap.mmap, old_run: bytes | mmap.mmap, new: list[bytes]) -> None:
        """Write the old run into ``run`` with the sorted ``new`` records in their places."""
        width = self._width
        with memoryview(old_run) as old:  # slices of a view: no copies but the one into run
            previous = written = 0
            for fingerprint in new:  # positions in the old run: new ones are not in it
                start = self._position(fingerprint)[0] * width
                run[written:written + start - previous] = old[previous:start]
                written += start - previous
                run[written:written + width] = fingerprint
                written += width
                previous = start
            run[written:] = old[previous:]

    def _mark(self, records: Iterable[bytes]) -> None:
        bitmap, bits = self._bitmap, self._bitmap_bits
        for record in records:
            bit = int.from_bytes(record[:8], "big") % bits
            bitmap[bit >> 3] |= 1 << (bit & 7)
