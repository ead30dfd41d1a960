"""The start topic (and the retry topic) read by one member of the spider's consumer group.

A poller task keeps the member alive in its group and fetches messages while fewer than
KAFKA_MAX_MESSAGES_IN_FLIGHT are uncommitted, unfinished or finished since the last commit
(when there are as many, it pauses its partitions and keeps polling: a member that stops
polling is put out of the group), so that a ``kill -9`` repeats at most that many. The
spider takes the messages from ``messages()``; each one is finished (``finish``) when the
requests it led to are done, and the finished offsets are committed in order
(ascrapy.kafka.offsets) every KAFKA_COMMIT_INTERVAL seconds, as soon as finished messages
take half the room, when partitions are taken away, and when the source closes.

- A retried message whose not-before time is ahead pauses its partition until then (the
  partition is read again from that message: nothing behind it is skipped).
- A rebalance: the member stops handing out messages of the partitions it loses, waits a
  while (half the group's rebalance timeout) for those in flight, commits what is done and
  gives them up. What is still in flight then is crawled again by the next owner.
- With KAFKA_IDLE_CLOSE_SECONDS the poller ends once the whole group has drained the
  topics (ascrapy.kafka.drain) and nothing was in flight for that long.
- ``stop()`` (the spider is closing): no more fetching; ``close()`` commits what is done
  and leaves the group.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

from ascrapy.kafka import messages
from ascrapy.kafka.messages import KafkaRecord
from ascrapy.kafka.config import KafkaSourceConfig
from ascrapy.kafka.connection import start_client
from ascrapy.kafka.drain import GroupDrain
from ascrapy.kafka.offsets import OffsetBook, PartitionOffsets
from ascrapy.stats import StatsCollector

logger = logging.getLogger("ascrapy.kafka")

POLL_SECONDS = 0.25  # the longest a fetch waits for messages: how soon a stop or a free place is seen
DRAIN_CHECK_SECONDS = 1.0  # how often an idle member asks whether the group has drained


@dataclass(eq=False)
class InFlightMessage:
    """A message handed to the spider, until it is finished."""

    record: KafkaRecord
    partition: PartitionOffsets

    @property
    def topic_partition(self) -> TopicPartition:
        return TopicPartition(self.record.topic, self.record.partition)

    def finish(self) -> None:
        """Its work is done (or it went to the retry or dead-letter topic): commit it in turn."""
        self.partition.finished(self.record.offset)


class KafkaSource:
    """One member of the spider's consumer group (see the module docstring)."""

    def __init__(self, config: KafkaSourceConfig, stats: StatsCollector, busy: Callable[[], bool],
                 closing: Callable[[], bool]) -> None:
        """``busy()``: whether the spider has work of its own left that the offsets do not
        show (failed messages on their way to another topic); ``closing()``: whether the
        spider is closing (no more messages then)."""
        self.config = config
        self.stats = stats
        self.busy = busy
        self.closing = closing
        self.book = OffsetBook()
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=config.connection.bootstrap_servers,
            **{"group_id": config.group_id, "auto_offset_reset": "earliest", **config.consumer_params,
               "enable_auto_commit": False},
        )
        self.failure: BaseException | None = None  # what ended the poller, if not a stop
        self._drain = GroupDrain(self.consumer, config.topics, config.connection) if config.idle_close else None
        self._ready: deque[InFlightMessage] = deque()
        self._arrived = asyncio.Event()
        self._commit_soon = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None
        self._committer: asyncio.Task[None] | None = None
        self._stopping = False
        self._throttled = False
        self._delayed: dict[TopicPartition, asyncio.TimerHandle] = {}
        self._leaving: set[TopicPartition] = set()  # being revoked: hand out none of their messages

    # -- lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        await start_client(self.consumer, "The Kafka consumer", self.config.connection)
        # Subscribed once connected: joining the group takes a rebalance (seconds), not a connection.
        self.consumer.subscribe(self.config.topics, listener=_Rebalance(self))
        if self._drain is not None:
            await self._drain.open()
        logger.info("Reading Kafka topics %(topics)s as group %(group)r from %(servers)s",
                    {"topics": ", ".join(self.config.topics), "group": self.config.group_id,
                     "servers": self.config.connection.servers})
        self._poller = asyncio.create_task(self._poll())
        self._committer = asyncio.create_task(self._commit_periodically())

    def stop(self) -> None:
        """Fetch no more messages; ``messages()`` ends once those already fetched are taken."""
        self._stopping = True
        self._arrived.set()

    async def close(self) -> None:
        """Commit what is done, then leave the group (after ``stop``, once the crawl drained)."""
        self.stop()
        for task in (self._poller, self._committer):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        for timer in self._delayed.values():
            timer.cancel()
        try:
            await self.commit()
        finally:
            if self._drain is not None:
                await self._drain.close()
            await self.consumer.stop()

    # -- messages -------------------------------------------------------------------------

    async def messages(self) -> AsyncIterator[InFlightMessage]:
        """The fetched messages, each marked as handed out; ends when the source stops,
        the group has drained (KAFKA_IDLE_CLOSE_SECONDS), or the poller failed."""
        while not self._stopping:
            while self._ready and not self._stopping:
                message = self._ready.popleft()
                if not message.partition.live or message.topic_partition in self._leaving:
                    continue  # its partition is being taken away
                message.partition.started(message.record.offset)
                yield message
            if self._poller is not None and self._poller.done():
                return
            self._arrived.clear()
            await self._arrived.wait()

    @property
    def in_flight(self) -> int:
        """Messages fetched and not committed: waiting to be handed out, handed out, or
        finished since the last commit."""
        book = self.book
        return len(self._ready) + book.in_flight() + book.uncommitted()

    async def _poll(self) -> None:
        consumer = self.consumer
        idle_since: float | None = None
        next_check = 0.0
        try:
            while not self._stopping:
                if self.closing():
                    self.stop()
                    return
                if self.book.uncommitted() * 2 >= self.config.max_in_flight:
                    self._commit_soon.set()  # finished messages take half the room
                room = self.config.max_in_flight - self.in_flight
                self._throttle(room <= 0)
                batch = await consumer.getmany(timeout_ms=int(POLL_SECONDS * 1000), max_records=max(room, 1))
                for tp, records in batch.items():
                    self._take(tp, records)
                if self._drain is None or self._stopping:
                    continue
                now = time.monotonic()
                if batch or self.in_flight or self.busy() or self._delayed:
                    idle_since = None
                elif now >= next_check:
                    next_check = now + DRAIN_CHECK_SECONDS
                    await self.commit()
                    if not await self._drain.drained():
                        idle_since = None
                    elif idle_since is None:
                        idle_since = now
                    elif now - idle_since >= (self.config.idle_close or 0):
                        logger.info("The consumer group %(group)r has drained %(topics)s: no more messages",
                                    {"group": self.config.group_id, "topics": ", ".join(self.config.topics)})
                        return
        except Exception as error:  # the group or the topic refused us: the spider closes
            self.failure = error
            logger.error("Reading Kafka failed: %(error)s", {"error": error}, exc_info=True)
        finally:
            self._arrived.set()

    def _take(self, tp: TopicPartition, records: list[KafkaRecord]) -> None:
        """Queue the fetched ``records`` of ``tp`` for the spider, up to a retry that is not due."""
        partition = self.book.get(tp)
        if partition is None or tp in self._leaving:
            return
        retries = tp.topic == self.config.retry_topic
        for record in records:
            if retries:
                due = messages.not_before(record.headers)
                wait = 0.0 if due is None else due - time.time()
                if wait > 0:
                    self._delay(tp, record.offset, wait)
                    return
            self.stats.inc_value("kafka/messages/received")
            self._ready.append(InFlightMessage(record, partition))
        self._arrived.set()

    def _delay(self, tp: TopicPartition, offset: int, wait: float) -> None:
        """Read ``tp`` again from ``offset`` in ``wait`` seconds."""
        self.consumer.pause(tp)
        self.consumer.seek(tp, offset)
        self.stats.inc_value("kafka/retries/delayed")
        self._delayed[tp] = asyncio.get_running_loop().call_later(wait, self._undelay, tp)

    def _undelay(self, tp: TopicPartition) -> None:
        self._delayed.pop(tp, None)
        if not self._throttled and tp in self.book:
            self.consumer.resume(tp)

    def _throttle(self, full: bool) -> None:
        """Pause every partition while the messages in flight fill KAFKA_MAX_MESSAGES_IN_FLIGHT."""
        if full == self._throttled:
            return
        self._throttled = full
        partitions = [tp for tp in self.consumer.assignment() if tp not in self._delayed]
        if full:
            self.consumer.pause(*partitions)
        else:
            self.consumer.resume(*partitions)

    # -- commits --------------------------------------------------------------------------

    async def commit(self, partitions: list[TopicPartition] | None = None) -> bool:
        """Commit the finished offsets of these partitions (default: all of ours); False
        when the commit failed."""
        due = self.book.due(partitions)
        if not due:
            return True
        try:
            await self.consumer.commit(due)
        except KafkaError as error:  # a rebalance, the broker away: tried again at the next commit
            self.stats.inc_value("kafka/commit_errors")
            logger.warning("Could not commit Kafka offsets %(offsets)s: %(error)s",
                           {"offsets": _offsets_text(due), "error": error})
            return False
        self.book.committed(due)
        self.stats.inc_value("kafka/commits")
        return True

    async def _commit_periodically(self) -> None:
        """Every KAFKA_COMMIT_INTERVAL, or sooner when the poller asks; after a failed
        commit, the next try waits a whole interval."""
        interval = self.config.commit_interval
        while True:
            try:
                await asyncio.wait_for(self._commit_soon.wait(), interval)
            except asyncio.TimeoutError:
                pass
            self._commit_soon.clear()
            if not await self.commit():
                await asyncio.sleep(interval)

    # -- rebalances -----------------------------------------------------------------------

    async def revoked(self, partitions: list[TopicPartition]) -> None:
        """``partitions`` go to the group: drop their queued messages, let those in flight
        finish for a while, commit, forget them."""
        if not partitions:
            return
        self.stats.inc_value("kafka/rebalances")
        self._leaving.update(partitions)
        for tp in partitions:
            timer = self._delayed.pop(tp, None)
            if timer is not None:
                timer.cancel()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.rebalance_wait
        while self.book.in_flight(partitions) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        await self.commit(partitions)
        left = self.book.revoke(partitions)
        self._leaving.difference_update(partitions)
        if left:
            self.stats.inc_value("kafka/messages/given_up", left)
            logger.info("%(count)d Kafka messages were still in flight on the partitions taken away; "
                        "the next owner crawls them again", {"count": left})

    def assigned(self, partitions: list[TopicPartition]) -> None:
        self.book.assign(partitions)
        logger.info("Kafka partitions assigned: %(partitions)s",
                    {"partitions": ", ".join(f"{tp.topic}[{tp.partition}]" for tp in sorted(partitions))})
        if self._throttled:
            self.consumer.pause(*partitions)


class _Rebalance(ConsumerRebalanceListener):
    def __init__(self, source: KafkaSource) -> None:
        self.source = source

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self.source.revoked(list(revoked))

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        self.source.assigned(list(assigned))


def _offsets_text(offsets: dict[TopicPartition, int]) -> str:
    return ", ".join(f"{tp.topic}[{tp.partition}]={offset}" for tp, offset in offsets.items())
