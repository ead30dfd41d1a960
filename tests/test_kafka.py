"""Kafka in and out against a real broker (tansu, tests/kafka_broker.py) and a real site
(tests/kafka_site.py): start URLs from a topic, items to a topic, failures to the retry and
dead-letter topics, offsets committed only for finished work."""

from __future__ import annotations

import asyncio
import datetime
import json
from collections import Counter
from typing import Any

import pytest
from aiokafka.partitioner import DefaultPartitioner

from ascrapy.engine.lineage import LineageUnsupported
from ascrapy.kafka import messages
from ascrapy.kafka.spider import KAFKA_MESSAGE_KEY

from .crawl_helpers import crawl
from .kafka_broker import KafkaBroker, committed_offsets
from .kafka_site import CrawlPages, KafkaSite, Pages
from .sites import serve_app_in_thread

START = "pages.start_urls"
ITEMS = "pages.items"
DLQ = "pages.start_urls.dlq"


def kafka_settings(broker: KafkaBroker, **more: Any) -> dict[str, Any]:
    """A spider that reads START, writes ITEMS, and closes once the group has drained."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "KAFKA_IDLE_CLOSE_SECONDS": 0.5,
        "KAFKA_COMMIT_INTERVAL": 0.2,
        "KAFKA_CONNECT_TIMEOUT": 5,
        "ITEM_PIPELINES": {"ascrapy.kafka.KafkaPipeline": 300},
        "KAFKA_ITEMS_BATCH_TIMEOUT": 0.2,
        "RETRY_TIMES": 0,
        **more,
    }


def run(settings: dict[str, Any], spidercls: type = Pages) -> Any:
    return asyncio.run(crawl(spidercls, settings)).stats.get_stats()


def header(record: Any, name: str) -> str | None:
    return messages.header(record.headers, name)


class RecordingPages(Pages):
    """Keeps the message each page's request says it came from."""

    sources: list[dict[str, Any]] = []

    def parse(self, response):
        RecordingPages.sources.append(response.meta[KAFKA_MESSAGE_KEY])
        yield from super().parse(response)


def test_start_urls_from_a_topic_become_items_in_a_topic_as_the_feed_writes_them(kafka_broker, tmp_path):
    site = KafkaSite()
    RecordingPages.sources = []
    kafka_broker.create_topics(START, ITEMS, partitions=2)
    with serve_app_in_thread(site.app()) as base:
        plain = [f"{base}/page/{n}".encode() for n in range(30)]
        tagged = json.dumps({"url": f"{base}/page/30", "meta": {"tag": "from JSON"}, "priority": 3}).encode()
        kafka_broker.produce(START, [*plain, tagged])
        feed = tmp_path / "items.jsonl"
        stats = run(kafka_settings(
            kafka_broker, KAFKA_ITEMS_KEY_FIELD="number", KAFKA_ITEMS_COMPRESSION="gzip",
            FEEDS={str(feed): {"format": "jsonlines"}}, JOBDIR=str(tmp_path / "job"),
        ), RecordingPages)

    assert stats["finish_reason"] == "finished"
    records = kafka_broker.read(ITEMS)
    # The same bytes as the feed's lines, each item once, keyed by its number.
    assert Counter(record.value for record in records) == Counter(feed.read_bytes().splitlines())
    numbers = [json.loads(record.value)["number"] for record in records]
    assert sorted(numbers) == list(range(31))
    assert all(record.key == str(json.loads(record.value)["number"]).encode() for record in records)
    # Each key in the partition Kafka's default partitioner (murmur2, as Java clients) gives it.
    assert {record.partition for record in records} == {0, 1}
    assert all(record.partition == DefaultPartitioner()(record.key, [0, 1], [0, 1]) for record in records)
    assert [json.loads(r.value) for r in records if json.loads(r.value)["number"] == 30][0]["tag"] == "from JSON"
    assert stats["kafka/messages/done"] == 31 and stats["kafka/items/produced"] == 31
    # Every message is committed: the group's offsets are at each partition's end.
    committed = kafka_broker.committed("pages", START)
    assert sum(committed.values()) == 31
    # Each page's request named its message.
    assert sorted((where["partition"], where["offset"]) for where in RecordingPages.sources) == [
        (partition, offset) for partition, end in sorted(committed.items()) for offset in range(end or 0)
    ]


def test_bad_and_failing_messages_go_to_the_dead_letter_topic_with_their_reasons(kafka_broker):
    """On a KafkaCrawlSpider: the good messages' pages are crawled with its rule."""
    site = KafkaSite()
    kafka_broker.create_topics(START, ITEMS, DLQ)
    with serve_app_in_thread(site.app()) as base:
        good = [f"{base}/page/{n}".encode() for n in range(5)]
        bad = {
            b"two words": messages.MALFORMED,
            b'{"url": ': messages.MALFORMED,
            json.dumps({"url": f"{base}/page/7", "callback": "parse_missing"}).encode(): messages.UNKNOWN_CALLBACK,
            f"{base}/fail".encode(): messages.REQUEST_FAILED,
            json.dumps({"url": f"{base}/page/8", "callback": "parse_raising"}).encode(): messages.CALLBACK_ERROR,
        }
        kafka_broker.produce(START, [good[0], *bad, *good[1:]], keys=[None, *[b"k%d" % n for n in range(5)], *[None] * 4])
        stats = run(kafka_settings(kafka_broker), CrawlPages)

    assert stats["finish_reason"] == "finished"
    assert sorted(json.loads(record.value)["number"] for record in kafka_broker.read(ITEMS)) == list(range(5))
    dead = kafka_broker.read(DLQ)
    assert {record.value: header(record, messages.REASON) for record in dead} == bad
    for record in dead:
        source_offset = header(record, messages.SOURCE_OFFSET)
        assert header(record, messages.SOURCE_TOPIC) == START and header(record, messages.SOURCE_PARTITION) == "0"
        assert source_offset is not None and record.key == b"k%d" % (int(source_offset) - 1)  # the same key
        assert header(record, messages.ATTEMPTS) == "1"
    exceptions = {header(record, messages.REASON): header(record, messages.EXCEPTION) for record in dead}
    assert exceptions[messages.CALLBACK_ERROR] == "ValueError: this callback always raises"
    assert exceptions[messages.REQUEST_FAILED].startswith("HttpError: ")
    assert "parse_missing" in exceptions[messages.UNKNOWN_CALLBACK]
    assert stats["kafka/dead_letters"] == 5
    assert stats["kafka/dead_letters/malformed"] == 2
    assert stats["kafka/dead_letters/request_failed"] == stats["kafka/dead_letters/callback_error"] == 1
    assert kafka_broker.committed("pages", START) == {0: 10}  # dead-lettered messages are committed too


def test_a_failing_request_is_retried_after_its_delay_then_dead_lettered(kafka_broker):
    site = KafkaSite()
    kafka_broker.create_topics(START, ITEMS, DLQ, "pages.retry")
    with serve_app_in_thread(site.app()) as base:
        kafka_broker.produce(START, [f"{base}/fail".encode(), f"{base}/page/1".encode()])
        stats = run(kafka_settings(kafka_broker, KAFKA_RETRY_TOPIC="pages.retry", KAFKA_RETRY_DELAY_SECONDS=0.5,
                                   KAFKA_MAX_ATTEMPTS=3))

    assert stats["finish_reason"] == "finished"
    retries = kafka_broker.read("pages.retry")
    assert [header(record, messages.ATTEMPTS) for record in retries] == ["1", "2"]
    [dead] = kafka_broker.read(DLQ)
    assert header(dead, messages.ATTEMPTS) == "3" and header(dead, messages.REASON) == messages.REQUEST_FAILED
    assert header(dead, messages.ORIGIN_TOPIC) == START and header(dead, messages.ORIGIN_OFFSET) == "0"
    assert header(dead, messages.SOURCE_TOPIC) == "pages.retry"
    # Each retry reached the site no earlier than its not-before time, which is the delay
    # (0.5 s, doubled at each attempt) after the failure it retries (the header counts
    # milliseconds: a float's last digits may differ).
    arrivals = site.arrivals["/fail"]
    assert len(arrivals) == 3
    for attempt, (retry, failed, arrival) in enumerate(zip(retries, arrivals[:-1], arrivals[1:], strict=True)):
        not_before = messages.not_before(retry.headers)
        assert not_before is not None and arrival >= not_before > failed + 0.5 * 2**attempt - 0.000_01
    assert stats["kafka/retries"] == 2 and stats["kafka/dead_letters"] == 1
    assert stats["kafka/retries/delayed"] >= 1
    assert [json.loads(record.value)["number"] for record in kafka_broker.read(ITEMS)] == [1]


class HeldSink:
    """A second batch sink, slower than Kafka: while it holds the item, it notes what the
    spider and the group say of the item's message, once KafkaPipeline has written it."""

    batch_size = 1
    batch_timeout = 0.05
    seen: dict[str, Any] = {}

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> HeldSink:
        return cls(crawler)

    async def process_batch(self, items: list[dict[str, Any]]) -> None:
        stats = self.crawler.stats
        deadline = asyncio.get_running_loop().time() + 30
        while stats.get_value("kafka/items/produced") != len(items):  # the Kafka sink has it
            assert asyncio.get_running_loop().time() < deadline, "KafkaPipeline never wrote the item"
            await asyncio.sleep(0.05)
        settings = self.crawler.settings
        HeldSink.seen = {
            "done": stats.get_value("kafka/messages/done", 0),
            "committed": await committed_offsets(settings["KAFKA_BOOTSTRAP_SERVERS"], "pages", START),
        }


def test_a_message_is_committed_only_once_every_sink_has_its_items(kafka_broker):
    site = KafkaSite()
    HeldSink.seen = {}
    kafka_broker.create_topics(START, ITEMS)
    with serve_app_in_thread(site.app()) as base:
        kafka_broker.produce(START, [f"{base}/page/0".encode()])
        stats = run(kafka_settings(kafka_broker, ITEM_PIPELINES={"ascrapy.kafka.KafkaPipeline": 300, HeldSink: 400}))

    assert stats["finish_reason"] == "finished"
    # In the items topic, but not yet in the other sink: the message is not done, not committed.
    assert HeldSink.seen == {"done": 0, "committed": {0: None}}
    assert stats["kafka/messages/done"] == 1
    assert kafka_broker.committed("pages", START) == {0: 1}


def test_the_redis_frontier_is_refused_with_a_clear_error():
    settings = {"SCHEDULER": "ascrapy.redis.Scheduler", "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9"}
    with pytest.raises(LineageUnsupported, match=r"SCHEDULER = 'ascrapy.redis.Scheduler' cannot tell"):
        run(settings)


class Unwritable:
    """A value no JSON encoder knows."""


def test_items_kafka_cannot_take_go_to_the_dead_letter_file_one_by_one(kafka_broker, tmp_path):
    import ascrapy

    class Items(ascrapy.Spider):
        name = "items"

        async def start(self):
            yield {"number": 0, "day": datetime.date(2026, 12, 5)}
            yield {"number": 1, "value": Unwritable()}
            yield {"number": 2, "text": "x" * 5000}
            yield {"number": 3}

    kafka_broker.create_topics("items.items")
    dead_letters = tmp_path / "dead.jsonl"
    stats = run({
        "KAFKA_BOOTSTRAP_SERVERS": kafka_broker.bootstrap, "ITEM_PIPELINES": {"ascrapy.kafka.KafkaPipeline": 300},
        "KAFKA_ITEMS_BATCH_TIMEOUT": 0.2, "KAFKA_PRODUCER_PARAMS": {"max_request_size": 2000},
        "DEAD_LETTER_PATH": str(dead_letters),
    }, Items)

    assert stats["finish_reason"] == "finished"
    records = kafka_broker.read("items.items")
    assert [json.loads(record.value)["number"] for record in records] == [0, 3]
    assert json.loads(records[0].value)["day"] == "2026-12-05"  # as the feeds write dates
    lines = [json.loads(line) for line in dead_letters.read_text().splitlines()]
    reasons = {line["item"]["number"]: line["error"] for line in lines}
    assert reasons.keys() == {1, 2}
    assert reasons[1].startswith("cannot write the item as JSON: TypeError: ")
    assert "more than the producer's max_request_size (2000)" in reasons[2]
    assert stats["batch/KafkaPipeline/dead_letter_count"] == 2 and stats["kafka/items/produced"] == 2


def test_items_that_cannot_reach_kafka_go_to_the_dead_letter_file_and_the_crawl_goes_on(kafka_broker, tmp_path):
    import ascrapy

    class Items(ascrapy.Spider):
        name = "items"

        async def start(self):
            for n in range(3):
                yield {"number": n}
            deadline = asyncio.get_running_loop().time() + 30
            while self.crawler.stats.get_value("kafka/items/produced") != 3:  # the first batch is in
                assert asyncio.get_running_loop().time() < deadline, "the first batch never reached Kafka"
                await asyncio.sleep(0.05)
            kafka_broker.pause()
            for n in range(3, 10):
                yield {"number": n}

    kafka_broker.create_topics("items.items")
    dead_letters = tmp_path / "dead.jsonl"
    try:
        stats = run({
            "KAFKA_BOOTSTRAP_SERVERS": kafka_broker.bootstrap, "ITEM_PIPELINES": {"ascrapy.kafka.KafkaPipeline": 300},
            "KAFKA_ITEMS_BATCH_TIMEOUT": 0.2, "KAFKA_PRODUCER_PARAMS": {"request_timeout_ms": 500},
            "BATCH_RETRY_TIMES": 1, "BATCH_RETRY_BACKOFF": 0.1, "DEAD_LETTER_PATH": str(dead_letters),
        }, Items)
    finally:
        kafka_broker.resume()
    assert stats["finish_reason"] == "finished"
    assert stats["batch/KafkaPipeline/retries"] >= 1 and stats["batch/KafkaPipeline/failed_batches"] >= 1
    lines = [json.loads(line) for line in dead_letters.read_text().splitlines()]
    assert {line["pipeline"] for line in lines} == {"KafkaPipeline"}
    # Every item is somewhere: in the topic, or in the dead-letter file (some of those may
    # have reached the broker too, which answered too late).
    in_topic = {json.loads(record.value)["number"] for record in kafka_broker.read("items.items")}
    in_file = {line["item"]["number"] for line in lines}
    assert {0, 1, 2} <= in_topic
    assert in_topic | in_file == set(range(10))
    assert stats["kafka/items/produced"] + stats["batch/KafkaPipeline/dead_letter_count"] == 10


def test_bootstrap_servers_are_required():
    with pytest.raises(ValueError, match="KAFKA_BOOTSTRAP_SERVERS names no server"):
        run({"KAFKA_BOOTSTRAP_SERVERS": " , "})
