"""Whether a consumer group has drained its topics: at every partition, its own ones and
those of other members (a dead one's too), the group's committed offset is the end.

The end is read by fetching from the committed offset with a consumer outside the group:
"nothing there" is the answer that counts, and a fetch's high watermark is right on brokers
whose offset listing is not (tansu 0.6 answers ListOffsets with the last batch's first
offset, not the partition's end).
"""

from __future__ import annotations

import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from ascrapy.kafka.config import KafkaConnection
from ascrapy.kafka.connection import start_client

_FETCH_WAIT_MS = 100
_ANSWER_MS = 1000  # how long to wait for the fetch's answer


class GroupDrain:
    """Asks the brokers whether ``member``'s group has committed every message of ``topics``."""

    def __init__(self, member: AIOKafkaConsumer, topics: list[str], connection: KafkaConnection) -> None:
        self.member = member
        self.topics = topics
        self.connection = connection
        self.reader = AIOKafkaConsumer(
            bootstrap_servers=connection.bootstrap_servers, group_id=None, enable_auto_commit=False,
            auto_offset_reset="earliest", fetch_max_wait_ms=_FETCH_WAIT_MS,
        )

    async def open(self) -> None:
        await start_client(self.reader, "The drain check's consumer", self.connection)

    async def close(self) -> None:
        await self.reader.stop()

    def partitions(self) -> list[TopicPartition]:
        """Every partition of the topics (a topic that does not exist has none: nothing to do)."""
        return [
            TopicPartition(topic, number)
            for topic in self.topics
            for number in sorted(self.member.partitions_for_topic(topic) or ())
        ]

    async def drained(self) -> bool:
        partitions = self.partitions()
        if not partitions:
            return True
        committed = {tp: await self.member.committed(tp) or 0 for tp in partitions}
        reader = self.reader
        if set(partitions) != reader.assignment():
            reader.assign(partitions)
        for tp, offset in committed.items():
            reader.seek(tp, offset)
        asked_ms = int(time.time() * 1000)
        found = await reader.getmany(timeout_ms=_ANSWER_MS, max_records=1)
        if any(found.values()):
            return False
        for tp, offset in committed.items():
            answered_ms, end = reader.last_poll_timestamp(tp), reader.highwater(tp)
            if answered_ms is None or answered_ms < asked_ms or end is None or end > offset:
                return False  # no fresh answer for it yet, or messages after the committed offset
        return True
