"""kill -9 at several moments of a JOBDIR crawl, then resume with the same command: nothing is
lost, and only the work in flight at each kill is done twice.

Each run appends to the same feed (``-o``), as a Kubernetes Job that restarts its pod with
JOBDIR and the output on a volume does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest
from aiohttp import web

from tests.sites import make_link_site, serve_app_in_thread
from tests.test_acceptance import SPIDER

PAGES = 400
CONCURRENT_REQUESTS = 8
FEED_BATCH = 20


SERVED = web.AppKey("served", list)


def slowed(app: web.Application) -> web.Application:
    """Each page answers after 1 to 9 ms (fixed per path): downloads overlap and finish out
    of order, so every kill finds a different mix of work in flight. ``app[SERVED]`` counts
    the requests answered."""
    served = app[SERVED] = [0]

    @web.middleware
    async def slow(request: web.Request, handler):  # type: ignore[no-untyped-def]
        digest = hashlib.md5(request.path.encode()).digest()
        await asyncio.sleep((1 + digest[0] % 9) / 1000)
        response = await handler(request)
        served[0] += 1
        return response

    app.middlewares.append(slow)
    return app


def feed_lines(path: Path) -> list[str]:
    """The complete lines of the feed (a kill may leave the last one cut short)."""
    if not path.exists():
        return []
    text = path.read_text()
    lines = text.split("\n")
    return [line for line in lines[:-1] if line]  # the part after the last newline is cut


def wait_until(process: subprocess.Popen[str], reached: Callable[[], bool]) -> None:
    """Until ``reached()`` (the crawl ending first is an assertion error)."""
    while not reached():
        assert process.poll() is None, "the crawl ended before the moment of the kill"
        try:
            process.wait(timeout=0.005)
        except subprocess.TimeoutExpired:
            pass


class Sink(Protocol):
    """Where a resumable crawl writes its items, as a test reads them back."""

    def options(self) -> list[str]: ...

    def pages(self) -> Counter[str]: ...


class FeedSink:
    """A JSON-lines feed appended to by each run (-o), as a Job's volume would hold it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def options(self) -> list[str]:
        return ["-o", str(self.path), "-s", f"FEED_WRITE_BATCH_SIZE={FEED_BATCH}"]

    def pages(self) -> Counter[str]:
        return Counter(json.loads(line)["url"].rsplit("/", 1)[1] for line in feed_lines(self.path))


class MongoSink:
    """MongoPipeline's bulk writes (no unique key: a page written twice is two documents)."""

    def __init__(self, uri: str, database: str) -> None:
        from pymongo import MongoClient

        self.uri, self.database = uri, database
        self.collection = MongoClient(uri)[database]["pages"]

    def options(self) -> list[str]:
        return ["-s", 'ITEM_PIPELINES={"ascrapy.pipelines.mongo.MongoPipeline": 300}',
                "-s", f"MONGO_URI={self.uri}", "-s", f"MONGO_DATABASE={self.database}",
                "-s", "MONGO_COLLECTION=pages", "-s", f"MONGO_BATCH_SIZE={FEED_BATCH}"]

    def pages(self) -> Counter[str]:
        return Counter(doc["url"].rsplit("/", 1)[1] for doc in self.collection.find({}, {"url": 1}))


@pytest.fixture(params=["feed", "mongo"])
def sink(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Sink]:
    if request.param == "feed":
        yield FeedSink(tmp_path / "items.jsonl")
        return
    from pymongo import MongoClient

    uri = request.getfixturevalue("mongo_uri")
    database = f"crash_{uuid.uuid4().hex[:12]}"
    yield MongoSink(uri, database)
    MongoClient(uri).drop_database(database)


def test_kill_9_at_several_moments_loses_nothing(tmp_path: Path, sink: Sink) -> None:
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    jobdir = tmp_path / "job"
    app = slowed(make_link_site(PAGES, 8))
    served = app[SERVED]
    logs = []
    with serve_app_in_thread(app) as base:
        def run() -> subprocess.Popen[str]:
            return subprocess.Popen(
                [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-a", f"base={base}",
                 "-s", f"JOBDIR={jobdir}", *sink.options(),
                 "-s", f"CONCURRENT_REQUESTS={CONCURRENT_REQUESTS}", "-L", "INFO"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
            )

        # The moments of the kills: after so many pages served in that run (whatever the sink
        # holds then), or once the sink holds so many items (right after a batch landed).
        moments: list[Callable[[], bool]] = [
            lambda: served[0] >= 15,
            lambda: sum(sink.pages().values()) >= 90,
            lambda: served[0] >= 120,
            lambda: sum(sink.pages().values()) >= 300,
        ]
        for reached in moments:
            served[0] = 0
            process = run()
            wait_until(process, reached)
            os.kill(process.pid, signal.SIGKILL)
            _, log = process.communicate(timeout=60)
            logs.append(log)
        last = run()
        _, log = last.communicate(timeout=300)
    assert last.returncode == 0, log[-3000:]
    assert "Resuming crawl" in log
    assert all("Traceback" not in each for each in logs), logs

    pages = sink.pages()
    assert set(pages) == {str(n) for n in range(PAGES)}  # nothing lost
    repeated = sum(pages.values()) - PAGES
    # Only what was in flight at a kill is done twice: pages being downloaded or parsed
    # (CONCURRENT_REQUESTS), and pages whose items were on their way to the sink: the batch
    # being written and the two batches its queue holds.
    in_flight = CONCURRENT_REQUESTS + 3 * FEED_BATCH
    assert repeated <= len(moments) * in_flight, pages.most_common(5)
    resumed_in_flight = [int(n) for n in re.findall(r"'scheduler/resumed/in_flight': (\d+)", log)]
    assert resumed_in_flight and resumed_in_flight[0] <= in_flight
