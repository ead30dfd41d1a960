"""A feed batch that fails is retried by the batch stage; the retry writes no duplicate:
feeds already written are skipped and a chunk cut short is cut off its file."""

from __future__ import annotations

import json

import ascrapy
from ascrapy.exporters import JsonLinesItemExporter

from tests.crawl_helpers import crawl

FAILURES: dict[str, int] = {}


class FlakyExporter(JsonLinesItemExporter):
    """Fails once at item 15 (mid-batch, after the first batch went through)."""

    def export_item(self, item):  # type: ignore[no-untyped-def]
        if item["n"] == 15 and not FAILURES.get("exporter"):
            FAILURES["exporter"] = 1
            raise OSError("the disk hiccuped")
        return super().export_item(item)

    def export_items(self, items):  # type: ignore[no-untyped-def]
        for item in items:
            self.export_item(item)


class Items(ascrapy.Spider):
    name = "items"

    async def start(self):  # type: ignore[no-untyped-def]
        for n in range(30):
            yield {"n": n}


def numbers(path) -> list[int]:  # type: ignore[no-untyped-def]
    return [json.loads(line)["n"] for line in path.read_text().splitlines()]


async def test_a_retried_batch_cut_short_writes_every_item_once(tmp_path):
    FAILURES.clear()
    good, flaky = tmp_path / "good.jsonl", tmp_path / "flaky.jsonl"
    crawler = await crawl(Items, {
        "FEEDS": {str(good): {"format": "jsonlines"}, str(flaky): {"format": "flaky"}},
        "FEED_EXPORTERS": {"flaky": f"{__name__}.FlakyExporter"},
        "FEED_WRITE_BATCH_SIZE": 10, "BATCH_RETRY_BACKOFF": 0.01,
    })
    assert FAILURES == {"exporter": 1}
    assert crawler.stats.get_value("batch/FeedExporter/retries") == 1
    assert numbers(good) == list(range(30))  # written before the other feed failed: not again
    assert numbers(flaky) == list(range(30))  # items 10 to 14 were cut off, then written once
