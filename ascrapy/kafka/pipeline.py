"""KafkaPipeline: the crawl's items to a Kafka topic, one produced batch at a time.

Enable it in ITEM_PIPELINES. It is a batch pipeline (``process_batch``): the batch stage
gives it up to KAFKA_ITEMS_BATCH_SIZE items, or what arrived within
KAFKA_ITEMS_BATCH_TIMEOUT seconds, and a batch counts as written only once the broker has
acknowledged every message of it (acks=all), which is what the crawl's acknowledgements
(and a KafkaSpider's commits) wait for.

- Topic KAFKA_ITEMS_TOPIC (default ``<spider name>.items``); values as the JSON lines feed
  writes them, keys from KAFKA_ITEMS_KEY_FIELD (ascrapy.kafka.item_encoding).
- KAFKA_ITEMS_COMPRESSION: gzip, snappy, lz4 or zstd (all but gzip need their library).
- The broker away: the batch fails, the batch stage retries it with backoff (only the
  messages not yet acknowledged are sent again), then writes it to the local dead-letter
  file; the crawl goes on. Unreachable when the spider opens: KafkaUnreachableError, the
  crawl does not start.
- Items the feed could not write either (bytes values, say), or larger than the producer's
  max_request_size, are rejected one by one, with the reason, to the dead-letter file.

A batch is sent as record batches, one or more per partition (aiokafka's batch API), not
message by message: a keyed message goes to the partition the producer's partitioner picks
for its key (Kafka's murmur2 by default, as Java clients do), the unkeyed ones of a batch
together to one partition it picks; a sixth of the CPU per message of ``send()``.

Stats: kafka/items/produced, next to the batch stage's batch/KafkaPipeline/... keys.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, KafkaTimeoutError
from aiokafka.errors import KafkaUnavailableError as BrokerUnavailable
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.record.default_records import DefaultRecordBatchBuilder

from ascrapy.kafka.config import KafkaConnection
from ascrapy.kafka.connection import start_client
from ascrapy.kafka.item_encoding import ItemEncoder, UnencodableItem

if TYPE_CHECKING:
    from aiokafka.producer.message_accumulator import BatchBuilder

logger = logging.getLogger("ascrapy.kafka")

Partitioner = Callable[[bytes | None, list[int], list[int]], int]
"""aiokafka's partitioner: (key, all partitions, available partitions) -> partition."""
Message = tuple[int, bytes | None, bytes]
"""(index of the item in its batch, key, value)."""


@dataclass
class _Batch:
    """One batch from the batch stage, kept across its retries: what is acknowledged is
    not sent again."""

    items: list[Any]
    messages: list[Message] = field(default_factory=list)
    rejected: list[tuple[Any, str]] = field(default_factory=list)
    delivered: set[int] = field(default_factory=set)
    attempts: int = 0


class KafkaPipeline:
    """Produces items to a Kafka topic in batches; see the module docstring for the settings."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.connection = KafkaConnection.from_settings(settings)
        self.topic: str | None = settings.get("KAFKA_ITEMS_TOPIC") or None
        self.compression: str | None = settings.get("KAFKA_ITEMS_COMPRESSION") or None
        self.batch_size = settings.getint("KAFKA_ITEMS_BATCH_SIZE", 500)
        self.batch_timeout = settings.getfloat("KAFKA_ITEMS_BATCH_TIMEOUT", 1.0)
        self.retry_times = settings.getint("BATCH_RETRY_TIMES", 3)
        self.encoder = ItemEncoder(settings, settings.get("KAFKA_ITEMS_KEY_FIELD") or None)
        params = self.connection.producer_params
        self.partitioner: Partitioner = params.get("partitioner") or DefaultPartitioner()
        self.max_request_size = int(params.get("max_request_size", 1048576))
        self.producer: AIOKafkaProducer | None = None
        self._pending: _Batch | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> KafkaPipeline:
        return cls(crawler)

    async def open_spider(self, spider: Any = None) -> None:
        spider = spider if spider is not None else self.crawler.spider
        if self.topic is None:
            self.topic = f"{spider.name}.items"
        params = {"acks": "all", "compression_type": self.compression, **self.connection.producer_params}
        self.producer = AIOKafkaProducer(bootstrap_servers=self.connection.bootstrap_servers, **params)
        await start_client(self.producer, "KafkaPipeline", self.connection)
        logger.info("KafkaPipeline writes items to %(topic)s at %(servers)s",
                    {"topic": self.topic, "servers": self.connection.servers})

    async def close_spider(self, spider: Any = None) -> None:
        if self.producer is not None:
            await self.producer.stop()

    def is_transient(self, error: BaseException) -> bool:
        """Worth retrying: the broker or the connection failed, not the data."""
        if isinstance(error, (KafkaTimeoutError, BrokerUnavailable)):
            return True  # the broker is away (aiokafka does not mark these retriable)
        if isinstance(error, KafkaError):
            return bool(error.retriable)
        return isinstance(error, (ConnectionError, TimeoutError, asyncio.TimeoutError))

    async def process_batch(self, items: list[Any]) -> list[tuple[Any, str]]:
        """Produce the batch's messages not yet acknowledged and await them all. Messages the
        broker refuses for good come back as rejected items once the others are written."""
        batch = self._pending
        if batch is None or batch.items is not items:
            batch = self._pending = self._prepare(items)
        batch.attempts += 1
        last_try = batch.attempts > self.retry_times
        failures = await self._produce(batch)
        if failures:
            first = failures[0][1]
            if not last_try and self.is_transient(first):
                raise first
            if not batch.delivered:
                self._pending = None
                raise first  # nothing written: the batch stage dead-letters the whole batch
            for index, error in failures:
                batch.rejected.append((items[index], f"Kafka refused the message: {type(error).__name__}: {error}"))
        self._pending = None
        return batch.rejected

    def _prepare(self, items: list[Any]) -> _Batch:
        batch = _Batch(items)
        for index, item in enumerate(items):
            try:
                key, value = self.encoder.encode(item)
            except UnencodableItem as error:
                batch.rejected.append((item, str(error)))
                continue
            size = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, [])
            if size > self.max_request_size:
                batch.rejected.append((item, f"the message is {size} bytes, more than the producer's "
                                             f"max_request_size ({self.max_request_size})"))
                continue
            batch.messages.append((index, key, value))
        return batch

    async def _produce(self, batch: _Batch) -> list[tuple[int, BaseException]]:
        """Send what is not acknowledged yet; the (index, error) of what failed."""
        producer, topic = self.producer, self.topic
        assert producer is not None and topic is not None
        sending = [message for message in batch.messages if message[0] not in batch.delivered]
        if not sending:
            return []
        try:
            partitions = sorted(await producer.partitions_for(topic))
        except KafkaError as error:  # no metadata: the broker is away, or refuses the topic
            return [(index, error) for index, _, _ in sending]
        failures: list[tuple[int, BaseException]] = []
        deliveries: list[tuple[list[int], asyncio.Future[Any]]] = []
        for partition, messages in self._by_partition(sending, partitions).items():
            for indexes, builder in self._record_batches(producer, messages):
                try:
                    deliveries.append((indexes, await producer.send_batch(builder, topic, partition=partition)))
                except KafkaError as error:  # refused before it was queued (producer closed, queue full)
                    failures += [(index, error) for index in indexes]
        results = await asyncio.gather(*(future for _, future in deliveries), return_exceptions=True)
        produced = 0
        for (indexes, _), result in zip(deliveries, results, strict=True):
            if isinstance(result, BaseException):
                failures += [(index, result) for index in indexes]
            else:
                batch.delivered.update(indexes)
                produced += len(indexes)
        if produced:
            self.stats.inc_value("kafka/items/produced", produced)
        failures.sort(key=lambda failure: failure[0])
        return failures

    def _by_partition(self, messages: list[Message], partitions: list[int]) -> dict[int, list[Message]]:
        """The messages of each partition: by key, the unkeyed ones all to one partition."""
        partitioner = self.partitioner
        unkeyed = partitioner(None, partitions, partitions)
        chosen: dict[int, list[Message]] = {}
        for message in messages:
            key = message[1]
            partition = unkeyed if key is None else partitioner(key, partitions, partitions)
            chosen.setdefault(partition, []).append(message)
        return chosen

    @staticmethod
    def _record_batches(producer: AIOKafkaProducer, messages: list[Message]) -> Iterator[tuple[list[int], BatchBuilder]]:
        """The messages as record batches of the producer's max_batch_size (a batch holds
        at least one message, however large), each with the indexes it carries."""
        builder = producer.create_batch()
        indexes: list[int] = []
        for index, key, value in messages:
            if builder.append(key=key, value=value, timestamp=None) is None:  # full
                yield indexes, builder
                builder, indexes = producer.create_batch(), []
                builder.append(key=key, value=value, timestamp=None)
            indexes.append(index)
        if indexes:
            yield indexes, builder
