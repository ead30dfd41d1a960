"""The batch stage's writer: one batch pipeline's writes, retried, counted, dead-lettered.

A batch pipeline is an ITEM_PIPELINES component with ``async def process_batch(items)``; it
gets lists of up to ``batch_size`` items, or what arrived within ``batch_timeout`` seconds.
It may return ``(item, reason)`` pairs for items it rejected (they go to the dead-letter
file; the rest of the batch counts as written). Whatever else happens in the call fails the
whole batch, a bug as much as a lost connection: an exception, or a return value that is
neither None nor such pairs. A failed batch is retried with exponential backoff while
``is_transient(error)`` says so (by default anything but PermanentWriteError), then its
items are dead-lettered. A call that takes longer than BATCH_WRITE_TIMEOUT seconds (the
component's ``batch_write_timeout``) is cancelled and fails as a BatchWriteTimeout, so a
hung database cannot hold the crawl forever. Nothing is dropped silently, and nothing a pipeline does can end
the crawl: only a dead-letter file that cannot be written stops it (see dead_letters).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from ascrapy.exceptions import PermanentWriteError
from ascrapy.pipelines.dead_letters import (
    DEAD_LETTER_ERROR,
    DeadLetterError,
    DeadLetters,
    dead_letter_path,
)

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.pipelines.batch")

__all__ = [
    "DEAD_LETTER_ERROR", "BatchPipelineProtocol", "BatchWriteTimeout", "BatchWriter", "DeadLetters",
    "dead_letter_path",
]

# What process_batch returns: the (item, reason) pairs it rejected, or None.
Rejected: TypeAlias = Iterable[tuple[Any, str]] | None


class BatchPipelineProtocol(Protocol):
    """A sink of the batch stage: an item pipeline (or an extension, as the feeds are)
    with ``process_batch``. Read when present: ``batch_size``, ``batch_timeout``,
    ``batch_write_timeout`` (numbers, overriding ITEM_BATCH_SIZE, ITEM_BATCH_TIMEOUT and
    BATCH_WRITE_TIMEOUT) and ``is_transient(error) -> bool``."""

    def process_batch(self, items: list[Any]) -> Awaitable[Rejected] | Rejected:
        """Write ``items`` (usually ``async def``); raise to fail the whole batch."""
        ...


class BatchWriteTimeout(TimeoutError):
    """A process_batch call ran out of time (it was cancelled); transient by default."""


class BatchWriter:
    """Wraps one component with ``process_batch`` as a sink of the engine's batch stage.

    ``write_batch`` never raises for what the component does; it returns False only when
    the batch could be neither written nor dead-lettered (the batch must then not be
    acknowledged).
    """

    def __init__(self, component: BatchPipelineProtocol, crawler: CrawlerProtocol, dead_letters: DeadLetters) -> None:
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
        write_timeout = getattr(component, "batch_write_timeout", None)
        self.write_timeout = settings.getfloat("BATCH_WRITE_TIMEOUT", 300.0) if write_timeout is None else float(write_timeout)
        self._is_transient = getattr(component, "is_transient", None)
        self._prefix = f"batch/{self.name}/"

    def transient(self, error: Exception) -> bool:
        if isinstance(error, PermanentWriteError):
            return False
        if self._is_transient is None:
            return True
        try:
            return bool(self._is_transient(error))
        except Exception:
            logger.error("%(pipeline)s.is_transient failed; the error counts as permanent",
                         {"pipeline": self.name}, exc_info=True)
            return False

    async def write_batch(self, items: list[Any]) -> bool:
        stats, prefix = self.stats, self._prefix
        attempt = 0
        started = time.monotonic()
        while True:
            try:
                rejected = await self._call(items)
                break
            except Exception as error:
                attempt += 1
                if not self.transient(error) or attempt > self.retry_times:
                    return self._give_up(items, error, attempt)
                delay = self.backoff * 2 ** (attempt - 1)
                stats.inc_value(prefix + "retries")
                logger.warning(
                    "%(pipeline)s failed to write a batch of %(count)d items (attempt %(attempt)d of "
                    "%(tries)d): %(error)s; retrying in %(delay).1fs",
                    {"pipeline": self.name, "count": len(items), "attempt": attempt,
                     "tries": self.retry_times + 1, "error": _describe(error), "delay": delay},
                )
                await asyncio.sleep(delay)
        stats.inc_value(prefix + "batches")
        stats.inc_value(prefix + "items", len(items) - len(rejected))
        stats.max_value(prefix + "max_batch_size", len(items))
        stats.inc_value(prefix + "write_time", round(time.monotonic() - started, 6))
        if not rejected:
            return True
        stats.inc_value(prefix + "dead_letter_count", len(rejected))
        return self._dead_letter(rejected)

    async def _call(self, items: list[Any]) -> list[tuple[Any, str]]:
        """One attempt: the component's rejected items, or an exception for a failed batch."""
        result = self.component.process_batch(items)
        if inspect.isawaitable(result):
            if self.write_timeout > 0:
                deadline = asyncio.timeout(self.write_timeout)
                try:
                    async with deadline:
                        result = await result
                except TimeoutError:
                    if not deadline.expired():
                        raise  # the component's own timeout: its error, as it raised it
                    self.stats.inc_value(self._prefix + "timeouts")
                    raise BatchWriteTimeout(
                        f"{self.name}.process_batch did not return within {self.write_timeout:g}s "
                        "(BATCH_WRITE_TIMEOUT); it was cancelled"
                    ) from None
            else:
                result = await result
        return self._rejected(result)

    def _rejected(self, result: Any) -> list[tuple[Any, str]]:
        if result is None:
            return []
        if isinstance(result, (str, bytes, Mapping)) or not isinstance(result, Iterable):
            raise TypeError(f"{self.name}.process_batch returned {_short_repr(result)}; "
                            "expected None or a list of (item, reason) pairs")
        pairs = []
        for pair in result:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"{self.name}.process_batch returned {_short_repr(pair)} among its "
                                "rejected items; expected (item, reason) pairs")
            pairs.append((pair[0], str(pair[1])))
        return pairs

    def _give_up(self, items: list[Any], error: Exception, attempts: int) -> bool:
        logger.error(
            "%(pipeline)s could not write a batch of %(count)d items after %(attempts)d attempt(s); "
            "they go to the dead-letter file",
            {"pipeline": self.name, "count": len(items), "attempts": attempts},
            exc_info=(type(error), error, error.__traceback__),
        )
        self.stats.inc_value(self._prefix + "failed_batches")
        self.stats.inc_value(self._prefix + "dead_letter_count", len(items))
        reason = _describe(error)
        return self._dead_letter([(item, reason) for item in items])

    def _dead_letter(self, rejected: list[tuple[Any, str]]) -> bool:
        try:
            self.dead_letters.write(self.name, rejected)
        except DeadLetterError:
            return False  # logged once by DeadLetters, which also stopped the crawl
        return True


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


if TYPE_CHECKING:
    # The bundled batch sinks are BatchPipelineProtocol (checked by mypy, never run).
    from ascrapy.extensions.feedexport import FeedExporter
    from ascrapy.pipelines.mongo import MongoPipeline
    from ascrapy.redis.pipelines import RedisPipeline

    _BUNDLED: list[type[BatchPipelineProtocol]] = [FeedExporter, MongoPipeline, RedisPipeline]
