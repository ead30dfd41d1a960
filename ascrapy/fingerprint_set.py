"""The set of fingerprints a dupefilter has seen, in about a fifth of a Python set's memory.

A set of 20-byte fingerprints costs about 100 bytes per entry (a bytes object, plus the
set's slot), and a long crawl keeps millions. Here recent fingerprints stay in a set (cheap
to test, and most duplicates are links seen a moment ago); the rest are 20-byte records in
one anonymous mmap, the run, grouped into buckets by the top bits of their hash, in no order
within a bucket. A directory holds the record each bucket starts at, so a lookup is the
hash, two array reads and one ``mmap.find`` over a bucket of a few dozen records, all in C.

Why buckets by hash and not a sorted run: the fingerprints need not be uniform (a custom
fingerprinter may return anything), while their hash is; a record goes to the end of its
bucket, so moving the recent set into the run is a ``mmap.move`` per new record, done in
place after growing the mapping (``mmap.resize``): no second copy of the run, and no search
for each new record's position.
"""

from __future__ import annotations

import mmap
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate, islice
from operator import add

_HASH_BITS = sys.hash_info.width
# The recent set moves into the run when it reaches this fraction of it: at about 100
# bytes an entry it costs 1.5 bytes per stored fingerprint at most, and each merge moves
# the whole run once (memmove, about 10 ms per 100 MB).
_RECENT_SHARE = 64
# Records per bucket, on average: from 16 to 32 when the buckets are made, split (in four,
# mostly) beyond 64. Larger buckets are slower to search, smaller ones make the directory larger
# and slower to update after a merge.
_BUCKET_TARGET = 32
_BUCKET_LIMIT = 64
_UPDATE_BATCH = 1 << 20  # update() looks up and stores this many at a time
_NO_WIDTH = -1  # the record width before anything is stored: no fingerprint is this long
_DIRECTORY = "I"  # record numbers, 4 bytes: up to 4 billion records (80 GB of run)


def _bucket_bits(records: int) -> int:
    """Bits of the hash that pick a bucket, for half to all of _BUCKET_TARGET records per bucket."""
    return max(1, (records // _BUCKET_TARGET).bit_length())


def _starts(records: list[bytes], first: int, count: int, shift: int, half: int, offset: int) -> Iterator[int]:
    """The records buckets ``first`` to ``first + count - 1`` start at, for ``records``
    (sorted by hash, all in those buckets) written from record ``offset`` on."""
    keys = [(hash(record) >> shift) + half for record in records]
    return (offset + bisect_left(keys, key) for key in range(first, first + count))


class FingerprintSet:
    """``in``, ``add``, ``update``, ``len`` and iteration over fingerprints (bytes)."""

    def __init__(self, fingerprints: Iterable[bytes] = (), recent_minimum: int = 1 << 15) -> None:
        self.recent_minimum = recent_minimum
        self._recent: set[bytes] = set()
        self._odd: set[bytes] = set()  # fingerprints of another length than the records'
        self._width = _NO_WIDTH  # the record width: the length of one in the first store
        self._run: bytes | mmap.mmap = b""  # records, bucket after bucket
        self._stored = 0  # records in the run
        self._set_buckets(1, array(_DIRECTORY, [0, 0, 0]))
        self.update(fingerprints)

    def _set_buckets(self, bits: int, starts: array[int]) -> None:
        """Bucket ``b`` is records ``starts[b]`` to ``starts[b + 1] - 1`` of the run; a
        fingerprint's bucket is the top ``bits`` bits of its hash, ``(hash >> shift) + half``."""
        self._bits, self._starts = bits, starts
        self._shift, self._half = _HASH_BITS - bits, 1 << (bits - 1)

    def __contains__(self, fingerprint: object) -> bool:
        if fingerprint in self._recent:
            return True
        width = self._width
        if not isinstance(fingerprint, bytes) or len(fingerprint) != width:
            return fingerprint in self._odd
        starts = self._starts
        bucket = (hash(fingerprint) >> self._shift) + self._half
        end = starts[bucket + 1] * width
        found = self._run.find(fingerprint, starts[bucket] * width, end)
        if found < 0:
            return False
        return not found % width or self._find_aligned(fingerprint, found, end)

    def _find_aligned(self, fingerprint: bytes, found: int, end: int) -> bool:
        """Whether ``fingerprint`` is a record from ``found`` on; a match across two records
        is none (only made-up fingerprints can do that)."""
        run, width = self._run, self._width
        while found >= 0:
            if not found % width:
                return True
            found = run.find(fingerprint, found + 1, end)
        return False

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
        together, a batch at a time, not a recent set at a time."""
        fingerprints = iter(fingerprints)
        while batch := list(islice(fingerprints, _UPDATE_BATCH)):
            fresh = {fingerprint for fingerprint in batch if fingerprint not in self}
            del batch
            if len(fresh) < self.recent_minimum:
                for fingerprint in fresh:
                    self.add_unseen(fingerprint)
            else:
                self._recent |= fresh
                del fresh
                self._store_recent()

    def __len__(self) -> int:
        return len(self._recent) + self._stored + len(self._odd)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._recent
        yield from self._odd
        run, width = self._run, self._width
        for start in range(0, self._stored * width, width):
            yield run[start:start + width]

    def _store_recent(self) -> None:
        """Move the recent fingerprints into the run."""
        recent, self._recent = self._recent, set()
        if self._width == _NO_WIDTH:
            self._width = next((len(fp) for fp in recent if fp), _NO_WIDTH)
        width = self._width
        new = [fp for fp in recent if len(fp) == width]
        if len(new) < len(recent):
            self._odd.update(fp for fp in recent if len(fp) != width)
        del recent
        if not new:
            return
        new.sort(key=hash)  # by bucket: the top bits of the hash
        if self._stored:
            self._insert(new)
        else:  # the first run, or a resumed job's fingerprints: written in one go
            # private: a shared anonymous mapping grown by mmap.resize raises SIGBUS past its first size
            self._run = run = mmap.mmap(-1, len(new) * width, flags=mmap.MAP_PRIVATE)
            run[:] = b"".join(new)
            self._stored = len(new)
            bits = _bucket_bits(self._stored)
            shift, half = _HASH_BITS - bits, 1 << (bits - 1)
            starts = array(_DIRECTORY, _starts(new, 0, 1 << bits, shift, half, 0))
            starts.append(self._stored)
            self._set_buckets(bits, starts)
            return
        if self._stored > _BUCKET_LIMIT << self._bits:
            self._split(_bucket_bits(self._stored))

    def _insert(self, new: list[bytes]) -> None:
        """Append each of ``new`` (in bucket order) to its bucket, in place: grow the mapping
        (the kernel moves pages, nothing is copied), then walk back from the end, moving
        the records that follow a bucket up by the space the new ones still need."""
        run, width, starts = self._run, self._width, self._starts
        assert isinstance(run, mmap.mmap)
        shift, half = self._shift, self._half
        old_end = len(run)
        run.resize(old_end + len(new) * width)
        added = array(_DIRECTORY, [0]) * len(starts)  # added[b]: new records in bucket b - 1
        source_end = old_end  # the records from here on are in their places
        target_end = len(run)
        for fingerprint in reversed(new):
            bucket = (hash(fingerprint) >> shift) + half
            added[bucket + 1] += 1
            bucket_end = starts[bucket + 1] * width
            if bucket_end < source_end:
                size = source_end - bucket_end
                target_end -= size
                run.move(target_end, bucket_end, size)
                source_end = bucket_end
            target_end -= width
            run[target_end:target_end + width] = fingerprint
        self._stored += len(new)
        self._starts = array(_DIRECTORY, map(add, starts, accumulate(added)))

    def _split(self, bits: int) -> None:
        """Split every bucket into ``2 ** (bits - self._bits)`` by more bits of the hash,
        in place: the new buckets of one are its records, sorted by hash."""
        run, width, starts = self._run, self._width, self._starts
        assert isinstance(run, mmap.mmap)
        extra = bits - self._bits
        shift, half = _HASH_BITS - bits, 1 << (bits - 1)
        new_starts = array(_DIRECTORY)
        for bucket in range(len(starts) - 1):
            start, end = starts[bucket] * width, starts[bucket + 1] * width
            chunk = run[start:end]
            records = [chunk[at:at + width] for at in range(0, end - start, width)]
            del chunk
            records.sort(key=hash)
            run[start:end] = b"".join(records)
            new_starts.extend(_starts(records, bucket << extra, 1 << extra, shift, half, starts[bucket]))
        new_starts.append(self._stored)
        self._set_buckets(bits, new_starts)
