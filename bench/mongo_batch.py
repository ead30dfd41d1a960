"""Items per second into MongoDB: MongoPipeline's bulk batches against one insert_one per item.

    .venv/bin/python bench/mongo_batch.py [--items 20000] [--repeat 3]

Starts nx-27017 in memory on a free port of 127.0.0.1 (tests/mongo_server.py), or uses the
server $MONGO_URI names. The same items (a spider's start(), no HTTP) go through each writer
into a fresh database of the same server; every run is checked to have stored them all.
Prints a markdown table and writes it to bench/results/mongo.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import sys
import time
import uuid
from importlib.metadata import version
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from itemadapter import ItemAdapter  # noqa: E402
from pymongo import AsyncMongoClient, MongoClient  # noqa: E402

import ascrapy  # noqa: E402
from ascrapy.crawler import Crawler  # noqa: E402
from ascrapy.settings import Settings  # noqa: E402
from machine import cpu_model, nproc  # noqa: E402
from tests.mongo_server import MongoServer  # noqa: E402

RESULTS = BENCH / "results" / "mongo.md"


class Items(ascrapy.Spider):
    """``count`` items shaped like the link site's (URL, title, price, tags), without HTTP."""

    name = "items"
    count = 20000

    async def start(self):
        for n in range(int(self.count)):
            yield {"url": f"http://127.0.0.1:8000/page/{n}", "title": f"Page {n}", "price": f"{n % 100}.99",
                   "tags": ["crawler", "spider", "stream"], "position": n}


class InsertOnePipeline:
    """The usual per-item pipeline: one insert_one per item, awaited in process_item."""

    def __init__(self, uri: str, database: str) -> None:
        self.uri, self.database = uri, database

    @classmethod
    def from_crawler(cls, crawler: Any) -> InsertOnePipeline:
        return cls(crawler.settings["MONGO_URI"], crawler.settings["MONGO_DATABASE"])

    def open_spider(self) -> None:
        self.client: AsyncMongoClient = AsyncMongoClient(self.uri)
        self.collection = self.client[self.database]["items"]

    async def close_spider(self) -> None:
        await self.client.close()

    async def process_item(self, item: Any) -> Any:
        await self.collection.insert_one(ItemAdapter(item).asdict())
        return item


WRITERS: list[tuple[str, str, dict[str, Any]]] = [
    ("insert_one per item, one at a time", "1", {"ITEM_PIPELINES": {InsertOnePipeline: 300}, "CONCURRENT_ITEMS": 1}),
    ("insert_one per item, 100 in flight", "1", {"ITEM_PIPELINES": {InsertOnePipeline: 300}, "CONCURRENT_ITEMS": 100}),
    *(
        (f"MongoPipeline, batches of {size}", str(size),
         {"ITEM_PIPELINES": {"ascrapy.pipelines.mongo.MongoPipeline": 300}, "MONGO_BATCH_SIZE": size})
        for size in (1, 50, 500)
    ),
]


async def timed_run(uri: str, count: int, settings: dict[str, Any]) -> float:
    database = f"bench_{uuid.uuid4().hex[:10]}"
    crawler = Crawler(Items, Settings({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "LOGSTATS_INTERVAL": 0, "MEMUSAGE_ENABLED": False,
        "MONGO_URI": uri, "MONGO_DATABASE": database, "MONGO_COLLECTION": "items", **settings,
    }))
    started = time.perf_counter()
    await crawler.crawl(count=count)
    elapsed = time.perf_counter() - started
    with MongoClient(uri) as client:
        stored = client[database]["items"].count_documents({})
        client.drop_database(database)
    if stored != count:
        raise SystemExit(f"{settings}: {stored} documents stored instead of {count}")
    return elapsed


async def measure(uri: str, count: int, repeat: int) -> list[tuple[str, str, float]]:
    await timed_run(uri, min(count, 2000), WRITERS[-1][2])  # warm up the server and the imports
    rows = []
    for name, batch, settings in WRITERS:
        seconds = statistics.median([await timed_run(uri, count, settings) for _ in range(repeat)])
        rows.append((name, batch, seconds))
        print(f"{name}: {count / seconds:,.0f} items/s", file=sys.stderr)
    return rows


def table(rows: list[tuple[str, str, float]], count: int, repeat: int, server: str) -> str:
    baseline = next(seconds for name, _, seconds in rows if name.endswith("one at a time"))
    lines = [
        "# Items per second into MongoDB: batches against one insert_one per item",
        "",
        f"{count:,} items from a spider's start() (no HTTP), the same for every writer; server: {server} "
        f"on 127.0.0.1; median of {repeat} runs, each into a fresh database and checked to hold all items.",
        f"Python {platform.python_version()}, pymongo {version('pymongo')}, {nproc()} CPUs ({cpu_model()}), "
        f"{platform.machine()}.",
        "",
        "| writer | items per bulk call | items/s | seconds | vs insert_one one at a time |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, batch, seconds in rows:
        lines.append(f"| {name} | {batch} | {count / seconds:,.0f} | {seconds:.2f} | {baseline / seconds:.1f}x |")
    lines += ["", "Reproduce: `.venv/bin/python bench/mongo_batch.py`"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if os.environ.get("MONGO_URI"):
        uri, server = os.environ["MONGO_URI"], "MONGO_URI's server"
        rows = asyncio.run(measure(uri, args.items, args.repeat))
    else:
        with MongoServer() as nx:
            server = f"nx-27017 {version('nx-27017')} (in memory)"
            rows = asyncio.run(measure(nx.uri, args.items, args.repeat))
    report = table(rows, args.items, args.repeat, server)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
