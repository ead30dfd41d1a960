"""The batch stage: batch pipelines get lists of items by size or time, with retries,
dead letters, stats and back-pressure; per-item pipelines run before them."""

from __future__ import annotations

import asyncio
import json

import ascrapy
from ascrapy.exceptions import CloseSpider, PermanentWriteError

from tests.crawl_helpers import crawl


class ManyItems(ascrapy.Spider):
    name = "many"
    count = 25

    async def start(self):
        for n in range(int(self.count)):
            yield {"n": n}


class Recorder:
    """A batch pipeline keeping what it was given."""

    batch_size = 10
    batch_timeout = 5.0

    def __init__(self):
        self.batches = []

    async def process_batch(self, items):
        self.batches.append([item["n"] for item in items])


async def test_batches_by_size_after_the_per_item_pipelines():
    recorder = Recorder()

    class Double:
        def process_item(self, item):
            item["n"] *= 2
            return item

    crawler = await crawl(ManyItems, {"ITEM_PIPELINES": {Double: 100, _instance(recorder): 200}})
    assert [len(batch) for batch in recorder.batches] == [10, 10, 5]
    assert sorted(n for batch in recorder.batches for n in batch) == [2 * n for n in range(25)]
    stats = crawler.stats.get_stats()
    assert stats["batch/Recorder/items"] == 25
    assert stats["batch/Recorder/batches"] == 3
    assert stats["batch/Recorder/max_batch_size"] == 10
    assert stats["batch/Recorder/write_time"] >= 0


async def test_a_slow_spider_gets_its_items_written_within_the_timeout():
    written_at = []

    class Timed:
        batch_size = 1000
        batch_timeout = 0.1

        async def process_batch(self, items):
            written_at.append((asyncio.get_running_loop().time(), len(items)))

    produced_at = []

    class Slow(ascrapy.Spider):
        name = "slow"

        async def start(self):
            for n in range(3):
                produced_at.append(asyncio.get_running_loop().time())
                yield {"n": n}
                await asyncio.sleep(0.4)

    await crawl(Slow, {"ITEM_PIPELINES": {Timed: 100}})
    assert [count for _, count in written_at] == [1, 1, 1]
    for produced, (written, _) in zip(produced_at, written_at, strict=True):
        assert written - produced < 0.3


async def test_transient_failures_are_retried_with_backoff():
    calls = []

    class Flaky:
        batch_size = 100

        async def process_batch(self, items):
            calls.append(len(items))
            if len(calls) < 3:
                raise ConnectionError("server went away")

    crawler = await crawl(ManyItems, {"ITEM_PIPELINES": {Flaky: 100}, "BATCH_RETRY_BACKOFF": 0.01})
    assert calls == [25, 25, 25]
    stats = crawler.stats.get_stats()
    assert stats["batch/Flaky/retries"] == 2
    assert stats["batch/Flaky/items"] == 25
    assert "dead_letter_count" not in stats


async def test_after_the_last_try_items_go_to_the_dead_letter_file(tmp_path, caplog):
    class Down:
        batch_size = 10

        async def process_batch(self, items):
            raise ConnectionError("unreachable")

    path = tmp_path / "dead.jsonl"
    crawler = await crawl(ManyItems, {
        "ITEM_PIPELINES": {Down: 100}, "BATCH_RETRY_TIMES": 2, "BATCH_RETRY_BACKOFF": 0.01,
        "DEAD_LETTER_PATH": str(path),
    })
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert sorted(record["item"]["n"] for record in records) == list(range(25))
    assert {record["pipeline"] for record in records} == {"Down"}
    assert all(record["error"] == "ConnectionError: unreachable" and record["time"] for record in records)
    stats = crawler.stats.get_stats()
    assert stats["dead_letter_count"] == 25
    assert stats["batch/Down/failed_batches"] == 3
    assert stats["batch/Down/retries"] == 6
    assert stats["finish_reason"] == "finished"
    assert "could not write a batch of 10 items after 3 attempt(s)" in caplog.text


async def test_permanent_errors_and_rejected_items_are_not_retried(tmp_path):
    calls = []

    class Picky:
        batch_size = 5

        async def process_batch(self, items):
            calls.append(len(items))
            if items[0]["n"] == 0:
                raise PermanentWriteError("schema mismatch")
            return [(item, "odd numbers are refused") for item in items if item["n"] % 2]

    path = tmp_path / "dead.jsonl"
    crawler = await crawl(ManyItems, {"ITEM_PIPELINES": {Picky: 100}, "DEAD_LETTER_PATH": str(path)},
                          count=10)
    assert calls == [5, 5]
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert sorted(r["item"]["n"] for r in records) == [0, 1, 2, 3, 4, 5, 7, 9]
    stats = crawler.stats.get_stats()
    assert stats["batch/Picky/items"] == 2  # 6 and 8
    assert stats["batch/Picky/dead_letter_count"] == 8


async def test_a_slow_sink_holds_the_spider_back():
    produced = 0
    written = 0
    ahead = []

    class SlowSink:
        batch_size = 5

        async def process_batch(self, items):
            nonlocal written
            await asyncio.sleep(0.02)
            written += len(items)

    class Fast(ascrapy.Spider):
        name = "fast"

        async def start(self):
            nonlocal produced
            for n in range(300):
                produced += 1
                ahead.append(produced - written)
                yield {"n": n}

    await crawl(Fast, {"ITEM_PIPELINES": {SlowSink: 100}, "CONCURRENT_ITEMS": 4})
    assert written == 300
    assert max(ahead) < 60  # bounded buffers, not all 300 items in memory


async def test_close_spider_flushes_the_partial_batch():
    recorder = Recorder()
    recorder.batch_size = 1000

    class Stopper(ascrapy.Spider):
        name = "stopper"

        async def start(self):
            for n in range(7):
                yield {"n": n}
            raise CloseSpider("enough")

    crawler = await crawl(Stopper, {"ITEM_PIPELINES": {_instance(recorder): 100}})
    assert crawler.stats.get_value("finish_reason") == "enough"
    assert sorted(n for batch in recorder.batches for n in batch) == list(range(7))


def _instance(component):
    """A pipeline class whose from_crawler returns the given instance (to inspect it after)."""

    class Wrapper:
        @classmethod
        def from_crawler(cls, crawler):
            return component

    return Wrapper


async def test_dead_letters_keep_values_json_cannot_hold(tmp_path):
    class Down:
        async def process_batch(self, items):
            raise ConnectionError("unreachable")

    class Binary(ascrapy.Spider):
        name = "binary"

        async def start(self):
            yield {"blob": b"\x00\xff", "when": object()}

    path = tmp_path / "dead.jsonl"
    await crawl(Binary, {"ITEM_PIPELINES": {Down: 100}, "BATCH_RETRY_TIMES": 0, "DEAD_LETTER_PATH": str(path)})
    (record,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["item"]["blob"] == {"$base64": "AP8="}
    assert record["item"]["when"].startswith("<object object")


async def test_a_batch_pipeline_that_breaks_its_contract_fails_its_batches_not_the_crawl(tmp_path, caplog):
    """process_batch returning a number: each batch fails, is retried, then dead-lettered."""
    calls = []

    class Counting:
        batch_size = 10

        async def process_batch(self, items):
            calls.append(len(items))
            return len(items)

    path = tmp_path / "dead.jsonl"
    crawler = await crawl(ManyItems, {
        "ITEM_PIPELINES": {Counting: 100}, "BATCH_RETRY_TIMES": 1, "BATCH_RETRY_BACKOFF": 0.01,
        "DEAD_LETTER_PATH": str(path),
    })
    assert calls == [10, 10, 10, 10, 5, 5]
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert sorted(record["item"]["n"] for record in records) == list(range(25))
    assert records[0]["error"] == (
        "TypeError: Counting.process_batch returned 10; expected None or a list of (item, reason) pairs"
    )
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    assert stats["batch/Counting/failed_batches"] == 3
    assert stats["batch/Counting/retries"] == 3
    assert stats["dead_letter_count"] == 25


async def test_malformed_rejections_and_a_failing_is_transient_fail_the_batch_at_once(tmp_path):
    class Odd:
        batch_size = 25

        def is_transient(self, error):
            raise KeyError("bug in is_transient")

        def process_batch(self, items):  # a plain method may write too
            return ["not a pair"]

    path = tmp_path / "dead.jsonl"
    crawler = await crawl(ManyItems, {"ITEM_PIPELINES": {Odd: 100}, "DEAD_LETTER_PATH": str(path)})
    stats = crawler.stats.get_stats()
    assert stats["batch/Odd/failed_batches"] == 1 and "batch/Odd/retries" not in stats
    assert stats["dead_letter_count"] == 25 and stats["finish_reason"] == "finished"
    assert "returned 'not a pair' among its rejected items" in path.read_text()


async def test_an_unwritable_dead_letter_file_stops_the_crawl_loudly(caplog):
    """/dev/full takes the open and fails the flush with ENOSPC: nothing is kept, so the
    crawl stops as dead_letter_error and the lost items are counted."""
    class Down:
        batch_size = 5

        async def process_batch(self, items):
            raise ConnectionError("unreachable")

    class Endless(ascrapy.Spider):
        name = "endless"

        async def start(self):
            n = 0
            while True:  # only the stop can end it
                yield {"n": n}
                n += 1
                await asyncio.sleep(0)

    crawler = await crawl(Endless, {
        "ITEM_PIPELINES": {Down: 100}, "BATCH_RETRY_TIMES": 0, "DEAD_LETTER_PATH": "/dev/full",
    })
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "dead_letter_error"
    assert stats["dead_letter/unwritable_items"] >= 5
    assert "dead_letter_count" not in stats
    errors = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Cannot write the dead-letter")]
    assert errors == [
        "Cannot write the dead-letter file /dev/full: [Errno 28] No space left on device; items that "
        "could not be written are not acknowledged, and the crawl stops (dead_letter_error)"
    ]


async def test_a_batch_write_that_hangs_is_cancelled_retried_then_dead_lettered(tmp_path, caplog):
    calls = []

    class Hung:
        batch_size = 25

        async def process_batch(self, items):
            calls.append(len(items))
            await asyncio.Event().wait()  # a database that never answers

    path = tmp_path / "dead.jsonl"
    crawler = await crawl(ManyItems, {
        "ITEM_PIPELINES": {Hung: 100}, "BATCH_RETRY_TIMES": 1, "BATCH_RETRY_BACKOFF": 0.01,
        "BATCH_WRITE_TIMEOUT": 0.05, "DEAD_LETTER_PATH": str(path),
    })
    assert calls == [25, 25]  # the first try and one retry, each cancelled
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert sorted(record["item"]["n"] for record in records) == list(range(25))
    assert all("did not return within 0.05s (BATCH_WRITE_TIMEOUT)" in record["error"] for record in records)
    stats = crawler.stats.get_stats()
    assert stats["batch/Hung/timeouts"] == 2
    assert stats["finish_reason"] == "finished"


async def test_a_components_own_timeout_error_is_its_error_not_the_write_timeout(tmp_path):
    class OwnTimeout:
        batch_size = 25

        async def process_batch(self, items):
            raise TimeoutError("the server said: too slow")

    path = tmp_path / "dead.jsonl"
    crawler = await crawl(ManyItems, {
        "ITEM_PIPELINES": {OwnTimeout: 100}, "BATCH_RETRY_TIMES": 0, "DEAD_LETTER_PATH": str(path),
    })
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert {record["error"] for record in records} == {"TimeoutError: the server said: too slow"}
    assert "batch/OwnTimeout/timeouts" not in crawler.stats.get_stats()
