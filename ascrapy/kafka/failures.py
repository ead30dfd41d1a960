"""Failed messages go on to the retry topic (while attempts remain) or to the dead-letter
topic, never nowhere: a bad message must not stop the crawl, nor be lost.

The message keeps its key, value and headers; ascrapy's headers (ascrapy.kafka.messages)
add the reason, the exception, where it was read (source) and first came from (origin),
the attempts made and, for a retry, the time before which it is not crawled again
(KAFKA_RETRY_DELAY_SECONDS, doubled at each attempt). Its offset is committed only once
the broker has the copy (acks=all): a producer that cannot reach the broker tries again,
with backoff, for as long as the crawl runs.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from ascrapy.kafka import messages
from ascrapy.kafka.config import KafkaSourceConfig
from ascrapy.kafka.connection import start_client
from ascrapy.kafka.messages import Headers, KafkaRecord
from ascrapy.stats import StatsCollector

logger = logging.getLogger("ascrapy.kafka")

_OWN_HEADERS = frozenset({
    messages.REASON, messages.EXCEPTION, messages.SOURCE_TOPIC, messages.SOURCE_PARTITION,
    messages.SOURCE_OFFSET, messages.ATTEMPTS, messages.NOT_BEFORE,
})
_BACKOFF_START, _BACKOFF_MAX = 0.5, 30.0


class FailureRouter:
    """Produces failed messages to the retry or dead-letter topic (see the module docstring)."""

    def __init__(self, config: KafkaSourceConfig, stats: StatsCollector) -> None:
        self.config = config
        self.stats = stats
        self.producer: AIOKafkaProducer | None = None
        self._sending: set[asyncio.Task[None]] = set()

    async def open(self) -> None:
        connection = self.config.connection
        self.producer = AIOKafkaProducer(
            bootstrap_servers=connection.bootstrap_servers,
            **{"acks": "all", **connection.producer_params},
        )
        await start_client(self.producer, "The dead-letter producer", connection)

    @property
    def pending(self) -> int:
        """Messages on their way to the retry or dead-letter topic."""
        return len(self._sending)

    def route(self, record: KafkaRecord, reason: str, error: BaseException | None,
              on_routed: Callable[[], None]) -> None:
        """Send ``record`` on; ``on_routed()`` once the broker has it."""
        task = asyncio.get_running_loop().create_task(self._route(record, reason, error, on_routed))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _route(self, record: KafkaRecord, reason: str, error: BaseException | None,
                     on_routed: Callable[[], None]) -> None:
        config = self.config
        attempts = messages.attempts_made(record.headers) + 1
        retry = (config.retry_topic is not None and reason in messages.RETRIES_SPENT
                 and attempts < config.max_attempts)
        described = _describe(error)
        extra = {messages.REASON: reason, messages.EXCEPTION: described, messages.ATTEMPTS: str(attempts)}
        if retry:
            delay = config.retry_delay * 2 ** (attempts - 1)
            extra[messages.NOT_BEFORE] = str(math.ceil((time.time() + delay) * 1000))  # never early
            topic = config.retry_topic
        else:
            topic = config.dead_letter_topic
        assert topic is not None
        await self._send(topic, record, _headers(record, extra))
        where = f"{record.topic}[{record.partition}]@{record.offset}"
        if retry:
            self.stats.inc_value("kafka/retries")
            logger.warning("Kafka message %(where)s failed (%(reason)s: %(error)s); attempt %(next)d of %(max)d "
                           "in %(delay).1fs through %(topic)s",
                           {"where": where, "reason": reason, "error": described, "next": attempts + 1,
                            "max": config.max_attempts, "delay": delay, "topic": topic})
        else:
            self.stats.inc_value("kafka/dead_letters")
            self.stats.inc_value(f"kafka/dead_letters/{reason}")
            logger.error("Kafka message %(where)s went to the dead-letter topic %(topic)s after %(attempts)d "
                         "attempt(s): %(reason)s: %(error)s",
                         {"where": where, "topic": topic, "attempts": attempts, "reason": reason,
                          "error": described})
        on_routed()

    async def _send(self, topic: str, record: KafkaRecord, headers: list[tuple[str, bytes]]) -> None:
        assert self.producer is not None
        delay = _BACKOFF_START
        while True:
            try:
                await self.producer.send_and_wait(topic, record.value, key=record.key, headers=headers)
                return
            except KafkaError as error:
                self.stats.inc_value("kafka/route_errors")
                logger.warning("Could not send a failed message to %(topic)s (%(error)s); trying again in "
                               "%(delay).1fs", {"topic": topic, "error": _describe(error), "delay": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, _BACKOFF_MAX)

    async def close(self, timeout: float) -> None:
        """Wait up to ``timeout`` s for the messages on their way; those still unsent then
        stay uncommitted (the group reads them again)."""
        sending = list(self._sending)
        if sending:
            _, late = await asyncio.wait(sending, timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                logger.warning("%(count)d failed Kafka messages could not be sent on before the spider "
                               "closed; they stay uncommitted", {"count": len(late)})
                await asyncio.gather(*late, return_exceptions=True)
        if self.producer is not None:
            await self.producer.stop()


def _headers(record: KafkaRecord, extra: dict[str, str]) -> list[tuple[str, bytes]]:
    """The record's headers without ascrapy's old ones, its source and origin, and ``extra``."""
    kept = [(name, value) for name, value in record.headers if name not in _OWN_HEADERS]
    names = {name for name, _ in kept}
    source = {messages.SOURCE_TOPIC: record.topic, messages.SOURCE_PARTITION: str(record.partition),
              messages.SOURCE_OFFSET: str(record.offset)}
    if messages.ORIGIN_TOPIC not in names:  # read from the start topic: it is its own origin
        kept += [(messages.ORIGIN_TOPIC, record.topic.encode()),
                 (messages.ORIGIN_PARTITION, str(record.partition).encode()),
                 (messages.ORIGIN_OFFSET, str(record.offset).encode())]
    return kept + [(name, value.encode()) for name, value in {**source, **extra}.items()]


def origin_of(headers: Headers) -> tuple[str, int, int] | None:
    """Where a retried or dead-lettered message first came from (topic, partition, offset)."""
    topic = messages.header(headers, messages.ORIGIN_TOPIC)
    partition = messages.header(headers, messages.ORIGIN_PARTITION)
    offset = messages.header(headers, messages.ORIGIN_OFFSET)
    if topic is None or partition is None or offset is None:
        return None
    return topic, int(partition), int(offset)


def _describe(error: BaseException | None) -> str:
    if error is None:
        return ""
    return f"{type(error).__name__}: {error}"
