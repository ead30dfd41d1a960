"""The batch stage's writer: one batch pipeline's writes, retried, counted, dead-lettered.

A batch pipeline is an ITEM_PIPELINES component with ``async def process_batch(items)``; it
gets lists of up to ``batch_size`` items, or what arrived within ``batch_timeout`` seconds.
It may return ``(item, reason)`` pairs for items it rejected (they go to the dead-letter
file; the rest of the batch counts as written). An exception fails the whole batch: it is
retried with exponential backoff while ``is_transient(error)`` says so (by default anything
but PermanentWriteError), then its items are dead-lettered. Nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import logging
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter

from ascrapy.exceptions import PermanentWriteError
from ascrapy.exporters.json_encoder import ScrapyJSONEncoder

logger = logging.getLogger("scrapy.pipelines.batch")


class DeadLetters:
    """Appends the items that could not be written, one JSON object per line, with the
    pipeline, the error and the time; the file is flushed after every write."""

    def __init__(self, path: str, stats: Any) -> None:
        self.path = Path(path)
        self.stats = stats
        self._file: IO[str] | None = None
        self._encoder = _DeadLetterEncoder(ensure_ascii=False)

    def write(self, pipeline: str, rejected: list[tuple[Any, str]]) -> None:
        if not rejected:
            return
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
            logger.warning("Items that could not be written are kept in %(path)s", {"path": str(self.path)})
        now = datetime.now(tz=timezone.utc).isoformat()
        for item, error in rejected:
            record = {"time": now, "pipeline": pipeline, "error": error, "item": _as_dict(item)}
            self._file.write(self._encoder.encode(record) + "\n")
        self._file.flush()
        self.stats.inc_value("dead_letter_count", len(rejected))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class _DeadLetterEncoder(ScrapyJSONEncoder):
    """Never fails on a value: bytes become base64 text, anything else unknown its repr."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (bytes, bytearray, memoryview)):
            return {"$base64": base64.b64encode(bytes(o)).decode("ascii")}
        try:
            return super().default(o)
        except TypeError:
            return repr(o)


def _as_dict(item: Any) -> Any:
    try:
        return ItemAdapter(item).asdict()
    except TypeError:
        return repr(item)


class BatchWriter:
    """Wraps one component with ``process_batch`` as a sink of the engine's batch stage."""

    def __init__(self, component: Any, crawler: Any, dead_letters: DeadLetters) -> None:
        settings = crawler.settings
        self.component = component
        self.name = type(component).__name__
        self.stats = crawler.stats
        self.dead_letters = dead_letters
        self.batch_size = max(int(getattr(component, "batch_size", None) or settings.getint("ITEM_BATCH_SIZE", 100)), 1)
        timeout = getattr(component, "batch_timeout", None)
        self.batch_timeout = float(settings.getfloat("ITEM_BATCH_TIMEOUT", 1.0) if timeout is None else timeout)
        self.retry_times = settings.getint("BATCH_RETRY_TIMES", 3)
        self.backoff = settings.getfloat("BATCH_RETRY_BACKOFF", 0.5)
        self._is_transient = getattr(component, "is_transient", None)
        self._prefix = f"batch/{self.name}/"

    def transient(self, error: Exception) -> bool:
        if isinstance(error, PermanentWriteError):
            return False
        if self._is_transient is not None:
            return bool(self._is_transient(error))
        return True

    async def write_batch(self, items: list[Any]) -> None:
        stats, prefix = self.stats, self._prefix
        attempt = 0
        started = time.monotonic()
        while True:
            try:
                rejected = self.component.process_batch(items)
                if inspect.isawaitable(rejected):
                    rejected = await rejected
                break
            except Exception as error:
                attempt += 1
                if not self.transient(error) or attempt > self.retry_times:
                    self._give_up(items, error, attempt)
                    return
                delay = self.backoff * 2 ** (attempt - 1)
                stats.inc_value(prefix + "retries")
                logger.warning(
                    "%(pipeline)s failed to write a batch of %(count)d items (attempt %(attempt)d of "
                    "%(tries)d): %(error)s; retrying in %(delay).1fs",
                    {"pipeline": self.name, "count": len(items), "attempt": attempt,
                     "tries": self.retry_times + 1, "error": error, "delay": delay},
                )
                await asyncio.sleep(delay)
        rejected = list(rejected or ())
        if rejected:
            self.dead_letters.write(self.name, [(item, str(reason)) for item, reason in rejected])
            stats.inc_value(prefix + "dead_letter_count", len(rejected))
        stats.inc_value(prefix + "batches")
        stats.inc_value(prefix + "items", len(items) - len(rejected))
        stats.max_value(prefix + "max_batch_size", len(items))
        stats.inc_value(prefix + "write_time", round(time.monotonic() - started, 6))

    def _give_up(self, items: list[Any], error: Exception, attempts: int) -> None:
        logger.error(
            "%(pipeline)s could not write a batch of %(count)d items after %(attempts)d attempt(s); "
            "they go to the dead-letter file",
            {"pipeline": self.name, "count": len(items), "attempts": attempts},
            exc_info=(type(error), error, error.__traceback__),
        )
        reason = f"{type(error).__name__}: {error}"
        self.dead_letters.write(self.name, [(item, reason) for item in items])
        self.stats.inc_value(self._prefix + "failed_batches")
        self.stats.inc_value(self._prefix + "dead_letter_count", len(items))


def dead_letter_path(settings: Any, spider: Any) -> str:
    return str(settings.get("DEAD_LETTER_PATH") or "dead-letter-%(name)s.jsonl") % {"name": spider.name}
