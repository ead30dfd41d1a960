"""How FeedExporter reads its feeds, as Scrapy 2.19 does: the format from the URI's extension
when a feed does not name one, the deprecated FEED_URI/FEED_FORMAT feed of older projects, Path
URIs; and item_scraped, Scrapy's per-item entry, for code that calls it."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.extensions.feedexport import FeedExporter
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler
from tests.crawl_helpers import crawl


class Items(ascrapy.Spider):
    name = "items"

    async def start(self):
        for n in range(3):
            yield {"n": n}


def exporter_for(settings: dict) -> FeedExporter:
    return build_from_crawler(FeedExporter, get_crawler(settings_dict=settings))


def test_a_feed_without_a_format_takes_its_uri_extension():
    exporter = exporter_for({"FEEDS": {"items.csv": {}, "other.jsonl": {"format": "json"}}})
    assert exporter.feeds["items.csv"]["format"] == "csv"
    assert exporter.feeds["other.jsonl"]["format"] == "json"  # a format given wins


def test_a_feed_whose_format_cannot_be_told_is_refused_with_a_reason(caplog):
    with caplog.at_level(logging.ERROR), pytest.raises(NotConfigured):
        exporter_for({"FEEDS": {"stdout:": {}}})
    assert "Feed format not set and it could not be inferred from the feed URI" in caplog.text


def test_path_uris_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exporter = exporter_for({"FEEDS": {Path("out/items.json"): {}}})
    assert list(exporter.feeds) == [str(tmp_path / "out" / "items.json")]


async def test_the_deprecated_feed_uri_setting_still_writes_its_feed(tmp_path):
    output = tmp_path / "items.json"
    with pytest.warns(ScrapyDeprecationWarning, match="`FEED_URI` and `FEED_FORMAT` settings have been deprecated"):
        await crawl(Items, {"FEED_URI": str(output), "FEED_FORMAT": "json"})
    assert json.loads(output.read_text()) == [{"n": 0}, {"n": 1}, {"n": 2}]


async def test_feeds_wins_over_feed_uri_for_the_same_file(tmp_path):
    output = str(tmp_path / "items.out")
    with pytest.warns(ScrapyDeprecationWarning):
        await crawl(Items, {"FEED_URI": output, "FEED_FORMAT": "json", "FEEDS": {output: {"format": "csv"}}})
    assert Path(output).read_text().splitlines() == ["n", "0", "1", "2"]


async def test_item_scraped_writes_at_once_and_rotates_full_files(tmp_path):
    template = str(tmp_path / "part-%(batch_id)d.jsonl")
    crawler = get_crawler(settings_dict={"FEEDS": {template: {"batch_item_count": 2}}})
    exporter = build_from_crawler(FeedExporter, crawler)
    closed: list[str] = []
    crawler.signals.connect(lambda slot: closed.append(os.path.basename(slot.uri)), signal=signals.feed_slot_closed)
    spider = Items.from_crawler(crawler)
    exporter.open_spider(spider)
    for n in range(5):
        exporter.item_scraped({"n": n}, spider)
    await exporter.close_spider(spider)
    parts = {path.name: [json.loads(line)["n"] for line in path.read_text().splitlines()]
             for path in tmp_path.iterdir()}
    assert parts == {"part-1.jsonl": [0, 1], "part-2.jsonl": [2, 3], "part-3.jsonl": [4]}
    assert sorted(closed) == ["part-1.jsonl", "part-2.jsonl", "part-3.jsonl"]
