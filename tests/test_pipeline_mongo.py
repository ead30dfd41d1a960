"""MongoPipeline against a real server: nx-27017 on 127.0.0.1 (tests/mongo_server.py), or
the mongod that MONGO_URI names. Every test writes to a database of its own."""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import bson
import pytest
from aiohttp import web
from bson import Binary, Decimal128
from pymongo import AsyncMongoClient, MongoClient
from pymongo.database import Database
from pymongo.errors import (
    AutoReconnect,
    ConnectionFailure,
    DocumentTooLarge,
    InvalidDocument,
    InvalidOperation,
    NetworkTimeout,
    OperationFailure,
    ServerSelectionTimeoutError,
    WriteConcernError,
)

import ascrapy
from ascrapy.pipelines.mongo import MongoPipeline, MongoUnavailableError, item_to_document, redact_uri
from tests.crawl_helpers import crawl
from tests.mongo_server import USING_NX, MongoServer, free_port
from tests.sites import make_link_site, serve_app_in_thread

PIPELINE_PATH = "ascrapy.pipelines.mongo.MongoPipeline"


@dataclass
class Target:
    """A database of this test's own on the session's server, and where dead letters go."""

    uri: str
    db: Database
    dead_letters: Path

    def settings(self, **extra: Any) -> dict[str, Any]:
        return {
            "ITEM_PIPELINES": {PIPELINE_PATH: 300},
            "MONGO_URI": self.uri,
            "MONGO_DATABASE": self.db.name,
            "MONGO_CONNECT_TIMEOUT": 5,
            "DEAD_LETTER_PATH": str(self.dead_letters),
            **extra,
        }

    def dead_letter_records(self) -> list[dict[str, Any]]:
        if not self.dead_letters.exists():
            return []
        return [json.loads(line) for line in self.dead_letters.read_text().splitlines()]


@pytest.fixture
def target(mongo_uri: str, tmp_path: Path):
    client: MongoClient = MongoClient(mongo_uri)
    name = f"ascrapy_test_{uuid.uuid4().hex[:12]}"
    yield Target(mongo_uri, client[name], tmp_path / "dead-letters.jsonl")
    client.drop_database(name)
    client.close()


class Numbers(ascrapy.Spider):
    """Items without HTTP: {"n": 0} .. {"n": count - 1}."""

    name = "numbers"
    count = 25

    async def start(self):
        for n in range(int(self.count)):
            yield {"n": n}


class Links(ascrapy.Spider):
    """Follows every link of the generated site; one item per page."""

    name = "links"

    def __init__(self, base: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        if response.css("article.page"):
            yield {"url": response.url, "title": response.css("h1::text").get()}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


def spider_yielding(items: list[Any], name: str = "given") -> type[ascrapy.Spider]:
    class Given(ascrapy.Spider):
        async def start(self):
            for item in items:
                yield item

    Given.name = name
    return Given


# ---------------------------------------------------------------- crawls land in MongoDB


async def test_a_crawl_of_a_site_stores_every_item(target, link_site):
    base = link_site(300, 10)
    crawler = await crawl(Links, target.settings(MONGO_BATCH_SIZE=50), base=base)
    documents = list(target.db["links"].find({}, {"_id": 0}))
    assert sorted(doc["url"] for doc in documents) == sorted(f"{base}/page/{n}" for n in range(300))
    assert all(doc["title"] == f"Page {doc['url'].rsplit('/', 1)[1]}" for doc in documents)
    stats = crawler.stats.get_stats()
    assert stats["item_scraped_count"] == stats["mongo/inserted"] == 300
    assert stats["batch/MongoPipeline/max_batch_size"] <= 50
    assert stats["batch/MongoPipeline/batches"] >= 6
    assert "dead_letter_count" not in stats


async def test_batches_fill_up_to_the_batch_size(target):
    crawler = await crawl(Numbers, target.settings(MONGO_BATCH_SIZE=10, MONGO_BATCH_TIMEOUT=5))
    assert sorted(doc["n"] for doc in target.db["numbers"].find()) == list(range(25))
    stats = crawler.stats.get_stats()
    assert stats["batch/MongoPipeline/batches"] == 3
    assert stats["batch/MongoPipeline/max_batch_size"] == 10


async def test_a_slow_spider_gets_its_items_written_within_the_timeout(target):
    stored_after_each_item = []

    class Slow(ascrapy.Spider):
        name = "slow"

        async def start(self):
            for n in range(3):
                yield {"n": n}
                await asyncio.sleep(0.6)
                stored_after_each_item.append(
                    await asyncio.to_thread(target.db["slow"].count_documents, {})
                )

    await crawl(Slow, target.settings(MONGO_BATCH_SIZE=500, MONGO_BATCH_TIMEOUT=0.2))
    assert stored_after_each_item == [1, 2, 3]


# ---------------------------------------------------------------- upserts and duplicates


@pytest.mark.parametrize("unique_key", ["sku", "shop,sku", ["shop", "sku"]])
async def test_upserts_keyed_on_the_unique_key_never_duplicate_across_runs(target, unique_key):
    def items(count: int, version: int) -> list[dict[str, Any]]:
        return [{"shop": "north", "sku": f"sku-{n}", "version": version} for n in range(count)]

    settings = target.settings(MONGO_UNIQUE_KEY=unique_key, MONGO_BATCH_SIZE=8)
    first = await crawl(spider_yielding(items(20, 1), "catalog"), settings)
    assert target.db["catalog"].count_documents({}) == 20
    assert first.stats.get_value("mongo/upserted") == 20

    second = await crawl(spider_yielding(items(25, 2), "catalog"), settings)
    documents = list(target.db["catalog"].find())
    assert len(documents) == 25
    assert len({doc["sku"] for doc in documents}) == 25
    assert {doc["version"] for doc in documents} == {2}
    assert second.stats.get_value("mongo/upserted") == 5
    assert second.stats.get_value("mongo/replaced") == 20


async def test_items_without_the_unique_key_are_dead_lettered(target):
    items = [{"sku": "a"}, {"name": "no sku"}, {"sku": "b"}]
    crawler = await crawl(spider_yielding(items), target.settings(MONGO_UNIQUE_KEY="sku"))
    assert sorted(doc["sku"] for doc in target.db["given"].find()) == ["a", "b"]
    [record] = target.dead_letter_records()
    assert record["item"] == {"name": "no sku"}
    assert "'sku'" in record["error"] and "MONGO_UNIQUE_KEY" in record["error"]
    assert crawler.stats.get_value("mongo/rejected") == 1


async def test_duplicate_keys_in_a_batch_are_counted_and_the_rest_is_stored(target):
    collection = target.db["given"]
    collection.create_index("url", unique=True)
    collection.insert_one({"url": "u0", "from": "an earlier run"})
    urls = ["u0", "u1", "u2", "u1", "u3", "u4", "u3", "u5", "u6", "u5"]
    crawler = await crawl(spider_yielding([{"url": url} for url in urls]), target.settings())
    assert sorted(doc["url"] for doc in collection.find()) == [f"u{n}" for n in range(7)]
    assert collection.find_one({"url": "u0"})["from"] == "an earlier run"
    stats = crawler.stats.get_stats()
    assert stats["mongo/inserted"] == 6
    assert stats["mongo/duplicates"] == 4
    assert stats["batch/MongoPipeline/batches"] == 1
    assert "dead_letter_count" not in stats
    assert stats["finish_reason"] == "finished"


# ---------------------------------------------------------------- documents


class Author(ascrapy.Item):
    name = ascrapy.Field()
    born = ascrapy.Field()


async def test_python_values_are_stored_as_mongodb_types(target):
    uid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    item = {
        "scraped_at": datetime.datetime(2024, 5, 6, 7, 8, 9, 123000),
        "aware": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        "published": datetime.date(2020, 1, 31),
        "cover": b"\x89PNG\x00\xff",
        "author": Author(name="Ada", born=datetime.date(1815, 12, 10)),
        "co_authors": [Author(name="Bruno")],
        "tags": {"poetry", "classic", "brass"},
        "size": (12, 18.5),
        "isbn_id": uid,
        "opens": datetime.time(9, 30),
        "counts": {1: "one"},
    }
    await crawl(spider_yielding([item]), target.settings())
    client: MongoClient = MongoClient(target.uri, uuidRepresentation="standard")
    try:
        stored = client[target.db.name]["given"].find_one({}, {"_id": 0})
    finally:
        client.close()
    assert stored == {
        "scraped_at": datetime.datetime(2024, 5, 6, 7, 8, 9, 123000),
        "aware": datetime.datetime(2024, 5, 6, 5, 8, 9),  # stored in UTC
        "published": datetime.datetime(2020, 1, 31),
        "cover": b"\x89PNG\x00\xff",
        "author": {"name": "Ada", "born": datetime.datetime(1815, 12, 10)},
        "co_authors": [{"name": "Bruno"}],
        "tags": ["brass", "classic", "poetry"],
        "size": [12, 18.5],
        "isbn_id": uid.bytes if USING_NX else uid,  # nx-27017 drops binary subtypes (4: UUID)
        "opens": "09:30:00",
        "counts": {"1": "one"},
    }


def test_decimals_become_decimal128_and_uuids_binary_subtype_4():
    uid = uuid.uuid4()
    document = item_to_document({"price": Decimal("19.99"), "nested": {"prices": [Decimal("0.1")]}, "id": uid})
    decoded = bson.decode(bson.encode(document))  # what the server receives
    assert decoded["price"] == Decimal128("19.99")
    assert decoded["nested"]["prices"] == [Decimal128("0.1")]
    assert decoded["id"] == Binary.from_uuid(uid) and decoded["id"].subtype == 4


@pytest.mark.skipif(USING_NX, reason="nx-27017 0.8.1 cannot store Decimal128; set MONGO_URI to a mongod")
async def test_decimals_round_trip_through_the_server(target):
    await crawl(spider_yielding([{"price": Decimal("1234.5678")}]), target.settings())
    assert target.db["given"].find_one()["price"] == Decimal128("1234.5678")


async def test_values_mongodb_cannot_hold_are_dead_lettered_with_the_reason(target):
    items = [{"n": 0}, {"n": 1, "price": Decimal("1." + "1" * 40)}, {"n": 2, "big": 2**70}, {"n": 3}]
    crawler = await crawl(spider_yielding(items), target.settings())
    assert sorted(doc["n"] for doc in target.db["given"].find()) == [0, 3]
    errors = {record["item"]["n"]: record["error"] for record in target.dead_letter_records()}
    assert "does not fit a Decimal128 (34 digits)" in errors[1]
    assert "8-byte ints" in errors[2]
    assert crawler.stats.get_value("mongo/rejected") == 2


async def test_a_document_over_16_mb_is_dead_lettered_and_the_others_stored(target):
    items = [{"n": n} for n in range(5)]
    items[2]["body"] = "x" * (17 * 1024 * 1024)
    crawler = await crawl(spider_yielding(items), target.settings())
    assert sorted(doc["n"] for doc in target.db["given"].find({}, {"n": 1})) == [0, 1, 3, 4]
    [record] = target.dead_letter_records()
    assert record["item"]["n"] == 2
    assert "too large" in record["error"] and "16 MB" in record["error"]
    stats = crawler.stats.get_stats()
    assert stats["mongo/rejected"] == stats["dead_letter_count"] == 1
    assert stats["batch/MongoPipeline/items"] == 4


# ---------------------------------------------------------------- collections


async def test_an_item_field_chooses_the_collection(target):
    items = [{"kind": "books", "n": 1}, {"kind": "authors", "n": 2}, {"kind": "books", "n": 3}, {"n": 4}]
    await crawl(spider_yielding(items, "shop"), target.settings(MONGO_COLLECTION_FIELD="kind"))
    assert sorted(doc["n"] for doc in target.db["books"].find()) == [1, 3]
    assert [doc["n"] for doc in target.db["authors"].find()] == [2]
    assert [doc["n"] for doc in target.db["shop"].find()] == [4]  # no field: the spider's name


async def test_a_callable_chooses_the_collection(target):
    def by_parity(item: dict[str, Any], spider: ascrapy.Spider) -> str:
        return f"{spider.name}_{'even' if item['n'] % 2 == 0 else 'odd'}"

    await crawl(Numbers, target.settings(MONGO_COLLECTION=by_parity), count=9)
    assert sorted(doc["n"] for doc in target.db["numbers_even"].find()) == [0, 2, 4, 6, 8]
    assert sorted(doc["n"] for doc in target.db["numbers_odd"].find()) == [1, 3, 5, 7]


async def test_a_fixed_collection_name(target):
    await crawl(Numbers, target.settings(MONGO_COLLECTION="everything"), count=3)
    assert target.db["everything"].count_documents({}) == 3
    assert "numbers" not in target.db.list_collection_names()


# ---------------------------------------------------------------- clients


async def test_a_client_given_by_the_user_is_used_and_closed(target):
    client: AsyncMongoClient = AsyncMongoClient(target.uri)

    class OwnClient(MongoPipeline):
        @classmethod
        def from_crawler(cls, crawler):
            pipeline = super().from_crawler(crawler)
            pipeline.client = client
            return pipeline

    settings = target.settings(ITEM_PIPELINES={OwnClient: 300}, MONGO_URI="mongodb://127.0.0.1:1")
    crawler = await crawl(Numbers, settings, count=4)
    assert target.db["numbers"].count_documents({}) == 4
    assert crawler.stats.get_value("batch/OwnClient/items") == 4
    with pytest.raises(InvalidOperation, match="after close"):
        await client.admin.command("ping")


async def test_a_motor_client_works_too(target):
    motor_asyncio = pytest.importorskip("motor.motor_asyncio")
    client = motor_asyncio.AsyncIOMotorClient(target.uri)

    class MotorPipeline(MongoPipeline):
        pass

    MotorPipeline.client = client
    settings = target.settings(ITEM_PIPELINES={MotorPipeline: 300}, MONGO_UNIQUE_KEY="n")
    crawler = await crawl(Numbers, settings, count=6)
    assert sorted(doc["n"] for doc in target.db["numbers"].find()) == list(range(6))
    assert crawler.stats.get_value("mongo/upserted") == crawler.stats.get_value("batch/MotorPipeline/items") == 6


# ---------------------------------------------------------------- MongoDB going away


async def stat_reaches(stats: Any, key: str, value: int) -> None:
    """Wait until the stat ``key`` reaches ``value`` (30 s only guard against a hang)."""
    deadline = time.monotonic() + 30
    while (stats.get_value(key) or 0) < value:
        assert time.monotonic() < deadline, f"{key} stayed at {stats.get_value(key)}"
        await asyncio.sleep(0.05)


async def test_mongodb_away_for_a_while_is_outlasted_by_the_retries(mongo_server: MongoServer, tmp_path: Path):
    """MongoDB away "for a minute": the batch written while it is away is retried until it is
    back, and nothing is dead-lettered. The outage lasts until the first retry is logged (the
    test waits on that line, not on the clock), then the server restarts on the same port."""
    retry_logged = asyncio.Event()

    class RetryLines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("MongoPipeline failed to write a batch"):
                retry_logged.set()

    class Away(ascrapy.Spider):
        name = "away"

        async def start(self):
            for n in range(10):
                yield {"n": n}
            await stat_reaches(self.crawler.stats, "mongo/inserted", 10)
            await asyncio.to_thread(mongo_server.stop)
            for n in range(10, 20):
                yield {"n": n}
            await retry_logged.wait()
            await asyncio.to_thread(mongo_server.start)

    handler = RetryLines()
    batch_logger = logging.getLogger("scrapy.pipelines.batch")
    batch_logger.addHandler(handler)
    try:
        async with asyncio.timeout(120):  # a hang guard only
            crawler = await crawl(Away, {
                "ITEM_PIPELINES": {PIPELINE_PATH: 300}, "MONGO_URI": mongo_server.uri, "MONGO_DATABASE": "db",
                "MONGO_BATCH_SIZE": 10, "MONGO_BATCH_TIMEOUT": 0.2, "MONGO_CONNECT_TIMEOUT": 0.5,
                "BATCH_RETRY_TIMES": 8, "BATCH_RETRY_BACKOFF": 0.1, "DEAD_LETTER_PATH": str(tmp_path / "dead.jsonl"),
            })
    finally:
        batch_logger.removeHandler(handler)
    client: MongoClient = MongoClient(mongo_server.uri)
    try:
        stored = sorted(doc["n"] for doc in client["db"]["away"].find())
    finally:
        client.close()
    assert stored == list(range(20))
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    assert stats["batch/MongoPipeline/retries"] >= 1
    assert "dead_letter_count" not in stats and not (tmp_path / "dead.jsonl").exists()
    assert stats["mongo/inserted"] == 20


async def test_mongodb_lost_mid_crawl_dead_letters_those_batches_and_the_crawl_finishes(
    mongo_server: MongoServer, tmp_path: Path
):
    """Stored before the outage, dead-lettered during it, stored again once it is back."""

    class Outage(ascrapy.Spider):
        name = "outage"

        async def start(self):
            stats = self.crawler.stats
            for n in range(10):
                yield {"n": n}
            await stat_reaches(stats, "mongo/inserted", 10)
            await asyncio.to_thread(mongo_server.stop)
            for n in range(10, 20):
                yield {"n": n}
            await stat_reaches(stats, "dead_letter_count", 10)
            await asyncio.to_thread(mongo_server.start)
            for n in range(20, 30):
                yield {"n": n}

    dead_letters = tmp_path / "dead.jsonl"
    crawler = await crawl(Outage, {
        "ITEM_PIPELINES": {PIPELINE_PATH: 300}, "MONGO_URI": mongo_server.uri, "MONGO_DATABASE": "db",
        "MONGO_BATCH_SIZE": 10, "MONGO_BATCH_TIMEOUT": 0.2, "MONGO_CONNECT_TIMEOUT": 0.5,
        "BATCH_RETRY_TIMES": 2, "BATCH_RETRY_BACKOFF": 0.1, "DEAD_LETTER_PATH": str(dead_letters),
    })
    client: MongoClient = MongoClient(mongo_server.uri)
    try:
        stored = sorted(doc["n"] for doc in client["db"]["outage"].find())
    finally:
        client.close()
    assert stored == [*range(10), *range(20, 30)]
    records = [json.loads(line) for line in dead_letters.read_text().splitlines()]
    assert sorted(record["item"]["n"] for record in records) == list(range(10, 20))
    assert all(record["error"].startswith(("ServerSelectionTimeoutError", "AutoReconnect")) for record in records)
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    assert stats["dead_letter_count"] == 10
    assert stats["batch/MongoPipeline/failed_batches"] == 1
    assert stats["batch/MongoPipeline/retries"] == 2
    assert stats["mongo/inserted"] == 20


async def test_a_retried_batch_does_not_store_a_document_twice(target):
    """The connection drops after the server stored part of a batch, before its reply."""

    class LosesAReply(MongoPipeline):
        async def _insert(self, group, retried):
            if not retried:
                half = group.documents[: len(group.documents) // 2]
                await self.db[group.collection].insert_many(half, ordered=False)
                raise AutoReconnect("connection closed before the reply")
            await super()._insert(group, retried)

    settings = target.settings(ITEM_PIPELINES={LosesAReply: 300}, BATCH_RETRY_BACKOFF=0.01)
    crawler = await crawl(Numbers, settings, count=20)
    assert sorted(doc["n"] for doc in target.db["numbers"].find()) == list(range(20))
    stats = crawler.stats.get_stats()
    assert stats["batch/LosesAReply/retries"] == 1
    assert stats["mongo/inserted"] == 20
    assert "mongo/duplicates" not in stats


async def test_when_one_collection_stays_down_only_its_items_are_dead_lettered(target):
    inserts = Counter()

    class OneCollectionDown(MongoPipeline):
        async def _insert(self, group, retried):
            inserts[group.collection] += 1
            if group.collection == "down":
                raise AutoReconnect("down is unreachable")
            await super()._insert(group, retried)

    items = [{"n": n, "kind": "down" if n % 2 == 0 else "up"} for n in range(10)]  # "down" comes first
    settings = target.settings(ITEM_PIPELINES={OneCollectionDown: 300}, MONGO_COLLECTION_FIELD="kind",
                               BATCH_RETRY_TIMES=2, BATCH_RETRY_BACKOFF=0.01)
    crawler = await crawl(spider_yielding(items), settings)
    assert inserts == {"down": 3, "up": 1}  # a retry resends only what was not written
    assert sorted(doc["n"] for doc in target.db["up"].find()) == [1, 3, 5, 7, 9]
    records = target.dead_letter_records()
    assert sorted(record["item"]["n"] for record in records) == [0, 2, 4, 6, 8]
    assert {record["error"] for record in records} == {"AutoReconnect: down is unreachable"}
    stats = crawler.stats.get_stats()
    assert stats["batch/OneCollectionDown/items"] == 5
    assert stats["dead_letter_count"] == 5


def test_transient_errors_are_the_connections():
    pipeline = MongoPipeline()
    transient = [AutoReconnect("gone"), ConnectionFailure("refused"), NetworkTimeout("slow"),
                 ServerSelectionTimeoutError("no server"), WriteConcernError("no majority"),
                 ConnectionResetError()]
    permanent = [OperationFailure("not authorized", code=13), InvalidDocument("bad key"),
                 DocumentTooLarge("too big"), ValueError("bug")]
    assert [pipeline.is_transient(error) for error in transient] == [True] * len(transient)
    assert [pipeline.is_transient(error) for error in permanent] == [False] * len(permanent)


async def test_unreachable_at_start_the_crawl_does_not_start(target):
    port = free_port()
    settings = target.settings(MONGO_URI=f"mongodb://127.0.0.1:{port}", MONGO_CONNECT_TIMEOUT=0.5)
    expected = rf"cannot reach MongoDB at mongodb://127\.0\.0\.1:{port} within 0\.5s: 127\.0\.0\.1:{port}"
    # Were MONGO_CONNECT_TIMEOUT ignored, pymongo's own 30 s would trip this hang guard.
    async with asyncio.timeout(15):
        with pytest.raises(MongoUnavailableError, match=expected):
            await crawl(Numbers, settings)


SPIDER_FILE = '''
import ascrapy


class Pages(ascrapy.Spider):
    name = "pages"

    def __init__(self, base="", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        if response.css("article.page"):
            yield {"url": response.url, "title": response.css("h1::text").get()}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
'''


def runspider_command(spider: Path, base: str, uri: str, database: str, *extra: str) -> list[str]:
    return [
        str(Path(sys.executable).parent / "ascrapy"), "runspider", str(spider), "-a", f"base={base}",
        "-s", f'ITEM_PIPELINES={{"{PIPELINE_PATH}": 300}}', "-s", f"MONGO_URI={uri}",
        "-s", f"MONGO_DATABASE={database}", "-s", "MONGO_COLLECTION=c", *extra,
    ]


def test_runspider_exits_non_zero_with_a_clear_message_when_mongodb_is_unreachable(tmp_path):
    spider = tmp_path / "spider.py"
    spider.write_text(SPIDER_FILE)
    port = free_port()
    uri = f"mongodb://scraper:s3cr3t-pw@127.0.0.1:{port}/?directConnection=true"
    result = subprocess.run(
        runspider_command(spider, "http://127.0.0.1:9", uri, "db", "-s", "MONGO_CONNECT_TIMEOUT=1"),
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    [message] = [line for line in result.stderr.splitlines() if line.startswith("ascrapy.pipelines.mongo.")]
    assert message.startswith(
        f"ascrapy.pipelines.mongo.MongoUnavailableError: MongoPipeline cannot reach MongoDB at "
        f"mongodb://127.0.0.1:{port}/?directConnection=true within 1s: 127.0.0.1:{port}:"
    )
    assert "s3cr3t" not in message and "scraper" not in message
    assert "Crawled (" not in result.stderr


def test_credentials_in_mongo_uri_never_reach_the_log(tmp_path):
    spider = tmp_path / "spider.py"
    spider.write_text(SPIDER_FILE)
    uri = f"mongodb://scraper:s3cr3t-pw@127.0.0.1:{free_port()}/?directConnection=true"
    result = subprocess.run(
        runspider_command(spider, "http://127.0.0.1:9", uri, "db", "-s", "MONGO_CONNECT_TIMEOUT=0.5"),
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert "s3cr3t" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("mongodb://user:pa%40ss@db1:27017,db2:27017/shop?replicaSet=rs0",
         "mongodb://db1:27017,db2:27017/shop?replicaSet=rs0"),
        ("mongodb+srv://user:pw@cluster0.example.net/?retryWrites=true",
         "mongodb+srv://cluster0.example.net/?retryWrites=true"),
        ("mongodb://127.0.0.1:27017/?tlsCertificateKeyFilePassword=k3y"
         "&authMechanismProperties=AWS_SESSION_TOKEN:t0k",
         "mongodb://127.0.0.1:27017/?tlsCertificateKeyFilePassword=***&authMechanismProperties=***"),
        ("mongodb://127.0.0.1", "mongodb://127.0.0.1"),
        ("user:pw@127.0.0.1", "<not a MongoDB URI>"),
    ],
)
def test_uris_are_shown_without_credentials(uri, shown):
    assert redact_uri(uri) == shown


# ---------------------------------------------------------------- `ascrapy runspider`, SIGTERM


def slowed(app: web.Application, seconds: float) -> web.Application:
    @web.middleware
    async def delay(request: web.Request, handler: Any) -> web.StreamResponse:
        await asyncio.sleep(seconds)
        return await handler(request)

    app.middlewares.append(delay)
    return app


def final_stats(log: str) -> dict[str, str]:
    dump = log.rpartition("Dumping Scrapy stats:")[2]
    return dict(re.findall(r"'([\w/]+)': ('[^']*'|[\d.]+)", dump))


def test_runspider_without_sigterm_stores_all_2000_pages(target, tmp_path):
    spider = tmp_path / "spider.py"
    spider.write_text(SPIDER_FILE)
    with serve_app_in_thread(make_link_site(2000, 20)) as base:
        result = subprocess.run(
            runspider_command(spider, base, target.uri, target.db.name, "-s", "LOG_LEVEL=INFO"),
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert target.db["c"].count_documents({}) == 2000
    assert len(target.db["c"].distinct("url")) == 2000
    assert final_stats(result.stderr)["item_scraped_count"] == "2000"


def test_sigterm_mid_crawl_stores_exactly_the_items_scraped(target, tmp_path):
    spider = tmp_path / "spider.py"
    spider.write_text(SPIDER_FILE)
    with serve_app_in_thread(slowed(make_link_site(2000, 20), 0.05)) as base:
        crawl_process = subprocess.Popen(
            runspider_command(spider, base, target.uri, target.db.name, "-s", "LOG_LEVEL=INFO"),
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 60  # a hang guard only
            while not target.db["c"].count_documents({}):  # the first batch is stored: mid-crawl
                assert crawl_process.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            crawl_process.send_signal(signal.SIGTERM)
            _, log = crawl_process.communicate(timeout=120)
        finally:
            if crawl_process.poll() is None:
                crawl_process.kill()
                crawl_process.communicate()
    stats = final_stats(log)
    assert stats["finish_reason"] == "'shutdown'", log[-3000:]
    scraped = int(stats["item_scraped_count"])
    assert 0 < scraped < 2000
    assert target.db["c"].count_documents({}) == scraped
    assert int(stats["mongo/inserted"]) == scraped
    assert len(target.db["c"].distinct("url")) == scraped
