"""The frontier's store on disk: one SQLite file, durable in JOBDIR or a spill file otherwise.

Durable (JOBDIR): every accepted request gets a row when pushed, with its state: waiting in
the store, queued in the frontier's memory, or handed out for download. The row is deleted
when the request is acknowledged. A crash at any moment leaves exactly the requests not yet
acknowledged; the next run takes them all back (those that were handed out are counted:
their work may be done twice). Writes are batched and committed together: a request's
children reach the file in the same transaction as its acknowledgement, or an earlier one.
SQLite's write-ahead log makes each commit survive the process being killed.

Spill (a crawl without JOBDIR, with SCHEDULER_SPILL_DIR): only requests beyond the memory
budget are written, and deleted when loaded back; the file is temporary.

Either way the frontier keeps only counts in memory for what waits here, so its memory
stays bounded however long the queue grows.
"""

from __future__ import annotations

import logging
import marshal
import os
import pickle
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ascrapy.engine.interfaces import StoredState
from ascrapy.utils.job import job_dir
from ascrapy.utils.request import request_from_dict

if TYPE_CHECKING:
    import sqlite3

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.scheduler")

WAITING, QUEUED, LEASED = 0, 1, 2
WRITE_BATCH = 2000  # rows recorded before they are written (in the open transaction)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    slot TEXT NOT NULL,
    priority INTEGER NOT NULL,
    start INTEGER NOT NULL,
    state INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS waiting ON requests (slot, priority, start, id) WHERE state = 0;
"""

_SELECT = (
    "SELECT id, data FROM requests WHERE state = 0 AND slot = ? AND priority = ? AND start = ? "
    "ORDER BY id {order} LIMIT ?"
)

Row = tuple[int, str, int, int, int, bytes]
Encoder = Callable[[Any], bytes]
Decoder = Callable[[bytes], Any]

_ENCODING_ERRORS = (pickle.PicklingError, AttributeError, TypeError, ValueError, RecursionError)


def serializer(name: str) -> tuple[Encoder, Decoder]:
    """pickle (the default, as Scrapy's Pickle*DiskQueue) or marshal (Marshal*DiskQueue)."""
    if name == "marshal":
        return marshal.dumps, marshal.loads
    return (lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)), pickle.loads


class DiskStore:
    """A FrontierStore on SQLite (see the module docstring)."""

    FILENAME = "frontier.sqlite3"

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        durable: bool,
        encoding: str = "pickle",
        on_unserializable: Callable[[Request, Exception], None] | None = None,
    ) -> None:
        self.durable = durable
        self.path = Path(directory, self.FILENAME if durable else f"spill-{os.getpid()}-{id(self):x}.sqlite3")
        self._dumps, self._loads = serializer(encoding)
        self._on_unserializable = on_unserializable
        self.spider: Spider | None = None
        self._db: sqlite3.Connection | None = None
        self._next_id = 1
        self._ids: dict[Request, int] = {}  # requests in memory (or in flight) that have a row
        self._inserts: dict[int, Row] = {}  # rows not written yet, by id
        self._states: dict[int, int] = {}  # state changes not written yet
        self._evictions: dict[int, str] = {}  # rows back to waiting, with the slot they wait in
        self._deletes: list[int] = []
        self._unserializable: weakref.WeakSet[Request] = weakref.WeakSet()
        self.unloadable = 0

    # -- opening and closing --------------------------------------------------------------

    def open(self, spider: Spider) -> StoredState:
        import sqlite3  # here: a crawl without a store never loads it

        self.spider = spider
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._db = sqlite3.connect(self.path, isolation_level=None)
        if self.durable:
            # WAL with synchronous=NORMAL: a commit survives a crash of the process (only a
            # power cut may lose the last ones); checkpoints run as the log grows.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        else:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-4096")  # KiB: a bounded page cache
        db.executescript(_SCHEMA)
        state = StoredState()
        if self.durable:
            (state.in_flight,) = db.execute("SELECT count(*) FROM requests WHERE state = ?", (LEASED,)).fetchone()
            db.execute("UPDATE requests SET state = ? WHERE state != ?", (WAITING, WAITING))
        else:
            db.execute("DELETE FROM requests")  # a spill file a crashed run left behind
        for slot, priority, start, count in db.execute(
            "SELECT slot, priority, start, count(*) FROM requests GROUP BY slot, priority, start"
        ):
            state.counts[(slot, priority, bool(start))] = count
        (last,) = db.execute("SELECT max(id) FROM requests").fetchone()
        self._next_id = (last or 0) + 1
        db.execute("BEGIN")
        return state

    def close(self) -> None:
        if self._db is None:
            return
        try:
            self.commit()
        finally:
            self._db.close()
            self._db = None
        if not self.durable:
            self.path.unlink(missing_ok=True)

    # -- the FrontierStore operations -----------------------------------------------------

    def add(self, request: Request, slot: str, priority: int, is_start: bool, *, in_memory: bool) -> bool:
        if in_memory and not self.durable:
            return True  # nothing to keep: the memory copy is the only one
        data = self._encode(request)
        if data is None:
            return False
        rowid = self._next_id
        self._next_id = rowid + 1
        self._inserts[rowid] = (rowid, slot, priority, int(is_start), QUEUED if in_memory else WAITING, data)
        if in_memory:
            self._ids[request] = rowid
        self._flush_when_many()
        return True

    def evict(self, request: Request, slot: str, priority: int, is_start: bool) -> bool:
        if not self.durable:
            return self.add(request, slot, priority, is_start, in_memory=False)
        rowid = self._ids.pop(request, None)
        if rowid is None:
            return False  # never stored (unserializable): it stays in memory
        pending = self._inserts.get(rowid)
        if pending is not None:
            self._inserts[rowid] = (rowid, slot, pending[2], pending[3], WAITING, pending[5])
        else:
            self._states.pop(rowid, None)
            self._evictions[rowid] = slot  # a per-IP request may have been stored by host name
            self._flush_when_many()
        return True

    def load(self, slot: str, priority: int, is_start: bool, count: int, *, newest_first: bool) -> list[Request]:
        db = self._connection()
        self._flush()
        query = _SELECT.format(order="DESC" if newest_first else "ASC")
        requests = []
        for rowid, data in db.execute(query, (slot, priority, int(is_start), count)).fetchall():
            request = self._decode(data)
            if request is None:
                self._deletes.append(rowid)
                continue
            if self.durable:
                self._ids[request] = rowid
                self._set_state(rowid, QUEUED)
            else:
                self._deletes.append(rowid)
            requests.append(request)
        return requests

    def lease(self, request: Request) -> None:
        rowid = self._ids.get(request)
        if rowid is not None:
            self._set_state(rowid, LEASED)
            self._flush_when_many()

    def ack(self, request: Request) -> None:
        rowid = self._ids.pop(request, None)
        if rowid is None:
            return
        if self._inserts.pop(rowid, None) is None:  # a row never written needs no delete
            self._states.pop(rowid, None)
            self._evictions.pop(rowid, None)
            self._deletes.append(rowid)
            self._flush_when_many()

    def commit(self) -> None:
        db = self._connection()
        self._flush()
        if db.in_transaction:
            db.execute("COMMIT")
        db.execute("BEGIN")

    # -- internals ------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(f"The frontier store {self.path} is not open")
        return self._db

    def _set_state(self, rowid: int, state: int) -> None:
        pending = self._inserts.get(rowid)
        if pending is not None:
            self._inserts[rowid] = (*pending[:4], state, pending[5])
        else:
            self._evictions.pop(rowid, None)  # loaded back before the eviction was written
            self._states[rowid] = state

    def _flush_when_many(self) -> None:
        """Write the recorded rows once there are many (a callback may push a million requests
        without giving the loop a turn to commit): memory stays bounded."""
        if len(self._inserts) + len(self._states) + len(self._evictions) + len(self._deletes) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write what was recorded since the last flush, in order: rows, states, deletes."""
        db = self._connection()
        if self._inserts:
            db.executemany("INSERT INTO requests VALUES (?, ?, ?, ?, ?, ?)", self._inserts.values())
            self._inserts.clear()
        if self._states:
            db.executemany("UPDATE requests SET state = ? WHERE id = ?",
                           [(state, rowid) for rowid, state in self._states.items()])
            self._states.clear()
        if self._evictions:
            db.executemany("UPDATE requests SET state = 0, slot = ? WHERE id = ?",
                           [(slot, rowid) for rowid, slot in self._evictions.items()])
            self._evictions.clear()
        if self._deletes:
            db.executemany("DELETE FROM requests WHERE id = ?", [(rowid,) for rowid in self._deletes])
            self._deletes.clear()

    def _encode(self, request: Request) -> bytes | None:
        if request in self._unserializable:
            return None
        try:
            return self._dumps(request.to_dict(spider=self.spider))
        except _ENCODING_ERRORS as error:
            self._unserializable.add(request)
            if self._on_unserializable is not None:
                self._on_unserializable(request, error)
            return None

    def _decode(self, data: bytes) -> Request | None:
        try:
            return request_from_dict(self._loads(data), spider=self.spider)
        except Exception as error:  # a request a spider change made unloadable
            self.unloadable += 1
            logger.error("Could not restore a request from %s: %s", self.path, error)
            return None


def store_for_crawler(crawler: CrawlerProtocol, encoding: str) -> DiskStore | None:
    """The store JOBDIR (durable) or SCHEDULER_SPILL_DIR (spill only) asks for, if any."""
    settings = crawler.settings
    jobdir = job_dir(settings)
    spill_dir = settings.get("SCHEDULER_SPILL_DIR")
    if not jobdir and not spill_dir:
        return None
    warned = False

    def unserializable(request: Request, error: Exception) -> None:
        nonlocal warned
        crawler.stats.inc_value("scheduler/unserializable")
        if settings.getbool("SCHEDULER_DEBUG") and not warned:
            warned = True
            logger.warning(
                "Unable to serialize request: %(request)s - reason: %(reason)s - no more "
                "unserializable requests will be logged (stats being collected)",
                {"request": request, "reason": error},
            )

    return DiskStore(jobdir or spill_dir, durable=bool(jobdir), encoding=encoding, on_unserializable=unserializable)
