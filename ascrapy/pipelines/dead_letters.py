"""The dead-letter file: where the batch stage keeps the items no sink could write.

A batch that fails for good lands here, and only then is it acknowledged. A dead-letter
file that cannot be written is therefore not a detail: the items would be lost, so the
first failure is logged as an error naming the path and the OS error, ``on_error`` is told
(the engine stops the crawl with DEAD_LETTER_ERROR as its finish reason), and every write
from then on raises DeadLetterError without trying again.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter

from ascrapy.exporters.json_encoder import ScrapyJSONEncoder

logger = logging.getLogger("scrapy.pipelines.batch")

DEAD_LETTER_ERROR = "dead_letter_error"
"""The finish reason of a crawl whose dead-letter file could not be written."""


class DeadLetterError(Exception):
    """Items could be neither written by their sink nor kept in the dead-letter file."""


class DeadLetters:
    """Appends the items that could not be written, one JSON object per line, with the
    pipeline, the error and the time; the file is flushed after every write."""

    def __init__(self, path: str, stats: Any, on_error: Callable[[], None] | None = None) -> None:
        self.path = Path(path)
        self.stats = stats
        self.on_error = on_error
        self.broken: OSError | None = None
        self._file: IO[str] | None = None
        self._encoder = _DeadLetterEncoder(ensure_ascii=False)

    def write(self, pipeline: str, rejected: list[tuple[Any, str]]) -> None:
        """Keep ``rejected`` (item, reason) pairs; DeadLetterError when they cannot be kept."""
        if not rejected:
            return
        if self.broken is not None:
            self._lost(len(rejected))
            raise DeadLetterError(f"Cannot write dead letters to {self.path}: {self.broken}")
        now = datetime.now(tz=timezone.utc).isoformat()
        lines = [self._line(now, pipeline, item, error) for item, error in rejected]
        try:
            self._open().writelines(lines)
            self._file.flush()  # type: ignore[union-attr]
        except OSError as error:
            self._break(error)
            self._lost(len(rejected))
            raise DeadLetterError(f"Cannot write dead letters to {self.path}: {error}") from error
        self.stats.inc_value("dead_letter_count", len(rejected))

    def _line(self, now: str, pipeline: str, item: Any, error: str) -> str:
        record = {"time": now, "pipeline": pipeline, "error": error, "item": _as_dict(item)}
        try:
            return self._encoder.encode(record) + "\n"
        except (ValueError, RecursionError):  # a circular item: keep what can be kept
            record["item"] = repr(item)
            return self._encoder.encode(record) + "\n"

    def _open(self) -> IO[str]:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
            logger.warning("Items that could not be written are kept in %(path)s", {"path": str(self.path)})
        return self._file

    def _break(self, error: OSError) -> None:
        self.broken = error
        logger.error(
            "Cannot write the dead-letter file %(path)s: %(error)s; items that could not be "
            "written are not acknowledged, and the crawl stops (%(reason)s)",
            {"path": str(self.path), "error": error, "reason": DEAD_LETTER_ERROR},
        )
        self._discard_file()
        if self.on_error is not None:
            self.on_error()

    def _lost(self, count: int) -> None:
        self.stats.inc_value("dead_letter/unwritable_items", count)

    def _discard_file(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            try:
                file.close()  # flushes what the failed write left behind: it fails again
            except OSError:
                pass

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
    except Exception:  # not an item type ItemAdapter knows, or one that fails to convert
        return repr(item)


def dead_letter_path(settings: Any, spider: Any) -> str:
    return str(settings.get("DEAD_LETTER_PATH") or "dead-letter-%(name)s.jsonl") % {"name": spider.name}
