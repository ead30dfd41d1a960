"""The frontier's journal in JOBDIR: a crawl that stops or crashes resumes where it was.

Every accepted request is appended when pushed, and its "done" mark when its callback has
finished (its children are in the journal before it). On resume, the requests pushed and not
done are scheduled again: the queued ones and also those that were in flight, which Scrapy's
disk queues lose on a crash. Records are pickles appended to one file and flushed about once
a second; a record cut short by a crash is ignored. Closing rewrites the file with only the
pending requests.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import IO, Any

from ascrapy.utils.request import request_from_dict

logger = logging.getLogger("scrapy.core.scheduler")

_PUSH = 0
_DONE = 1


class FrontierJournal:
    """Append-only record of pushed and finished requests for one JOBDIR."""

    FILENAME = "frontier.journal"

    def __init__(self, jobdir: str, flush_interval: float = 1.0) -> None:
        self.path = Path(jobdir, self.FILENAME)
        self.flush_interval = flush_interval
        self._file: IO[bytes] | None = None
        self._next_id = 0
        self._ids: dict[int, int] = {}  # id(request) -> journal id, for requests not done
        self._last_flush = 0.0
        self.unserializable = 0

    def replay(self, spider: Any) -> list[Any]:
        """The requests a previous run pushed and did not finish, in push order."""
        pending: dict[int, dict[str, Any]] = {}
        if self.path.exists():
            with self.path.open("rb") as file:
                while True:
                    try:
                        op, jid, payload = pickle.load(file)
                    except EOFError:
                        break
                    except (pickle.UnpicklingError, ValueError, TypeError, AttributeError):
                        logger.warning("Ignoring a damaged record at the end of %s", self.path)
                        break
                    if op == _PUSH:
                        pending[jid] = payload
                    else:
                        pending.pop(jid, None)
        requests = []
        for payload in pending.values():
            try:
                requests.append(request_from_dict(payload, spider=spider))
            except ValueError as error:
                logger.error("Could not restore a request from %s: %s", self.path, error)
        self._rewrite(requests, spider)
        return requests

    def _rewrite(self, requests: list[Any], spider: Any) -> None:
        """Start a fresh journal holding ``requests`` (compaction), then append to it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        self._ids.clear()
        with temporary.open("wb") as file:
            for request in requests:
                self._write_push(file, request, spider)
        os.replace(temporary, self.path)
        self._file = self.path.open("ab")

    def _write_push(self, file: IO[bytes], request: Any, spider: Any) -> None:
        try:
            payload = request.to_dict(spider=spider)
            record = pickle.dumps((_PUSH, self._next_id, payload), protocol=pickle.HIGHEST_PROTOCOL)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as error:
            self.unserializable += 1
            if self.unserializable == 1:
                logger.warning(
                    "Unable to serialize request: %(request)s - reason: %(reason)s - no more "
                    "unserializable requests will be logged (stats being collected)",
                    {"request": request, "reason": error},
                )
            return
        file.write(record)
        self._ids[id(request)] = self._next_id
        self._next_id += 1

    def pushed(self, request: Any, spider: Any, now: float) -> bool:
        """Record an accepted request; False when it cannot be serialized (kept in memory)."""
        if self._file is None:
            return False
        before = self.unserializable
        self._write_push(self._file, request, spider)
        self._maybe_flush(now)
        return self.unserializable == before

    def done(self, request: Any, now: float) -> None:
        jid = self._ids.pop(id(request), None)
        if jid is None or self._file is None:
            return
        self._file.write(pickle.dumps((_DONE, jid, None), protocol=pickle.HIGHEST_PROTOCOL))
        self._maybe_flush(now)

    def _maybe_flush(self, now: float) -> None:
        if now - self._last_flush >= self.flush_interval and self._file is not None:
            self._file.flush()
            self._last_flush = now

    def close(self, pending: list[Any], spider: Any) -> None:
        """Compact the journal to the requests still pending and close it."""
        if self._file is None:
            return
        self._file.close()
        self._file = None
        self._rewrite(pending, spider)
        if self._file is not None:
            self._file.close()
            self._file = None
