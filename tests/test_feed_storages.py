"""Feed storages: FTP uploads at the end of the crawl; unsupported ones are refused at start."""

from __future__ import annotations

import json
import logging

import pytest

import ascrapy
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.feedexport import FeedExporter
from ascrapy.utils.test import get_crawler

from tests.crawl_helpers import crawl
from tests.test_utils_ftp import ftp_server


class Two(ascrapy.Spider):
    name = "two"

    async def start(self):
        yield {"n": 1}
        yield {"n": 2}


async def test_ftp_feed_is_uploaded_when_the_spider_closes():
    with ftp_server() as (port, state):
        crawler = await crawl(Two, {"FEEDS": {
            f"ftp://user:secret@127.0.0.1:{port}/feeds/%(name)s.jsonl": {"format": "jsonlines"}
        }})
        stored = state.files["/feeds/two.jsonl"]
    assert [json.loads(line)["n"] for line in stored.decode().splitlines()] == [1, 2]
    assert crawler.stats.get_value("feedexport/success_count/FTPFeedStorage") == 1


def test_unsupported_storage_and_bad_batch_uri_are_refused_at_start(caplog):
    with caplog.at_level(logging.ERROR):
        for feeds in (
            {"s3://bucket/items.jsonl": {"format": "jsonlines"}},
            {"gopher://host/items.jsonl": {"format": "jsonlines"}},
            {"items.jsonl": {"format": "jsonlines", "batch_item_count": 10}},
            {"items.data": {"format": "nope"}},
        ):
            with pytest.raises(NotConfigured):
                FeedExporter(get_crawler(settings_dict={"FEEDS": feeds}))
    assert "Disabled feed storage scheme: s3. Reason: missing botocore library" in caplog.text
    assert "Unknown feed storage scheme: gopher" in caplog.text
    assert "must be in the feed URI (items.jsonl)" in caplog.text
    assert "Unknown feed format: nope" in caplog.text


def test_appending_to_a_line_feed_removes_a_record_a_crash_cut_short(tmp_path, caplog):
    from ascrapy.extensions.feedstorage import FileFeedStorage

    path = tmp_path / "items.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": 2}\n{"n": 3, "ti')
    storage = FileFeedStorage(str(path), feed_options={"format": "jsonlines"})
    file = storage.open(None)
    file.write(b'{"n": 3, "title": "again"}\n')
    storage.store(file)
    assert path.read_bytes() == b'{"n": 1}\n{"n": 2}\n{"n": 3, "title": "again"}\n'
    assert "ended with a record cut short (12 bytes" in caplog.text


def test_a_whole_last_line_and_other_formats_are_left_as_they_are(tmp_path):
    from ascrapy.extensions.feedstorage import FileFeedStorage

    whole = tmp_path / "whole.jsonl"
    whole.write_bytes(b'{"n": 1}\n')
    FileFeedStorage(str(whole), feed_options={"format": "jsonlines"}).open(None).close()
    assert whole.read_bytes() == b'{"n": 1}\n'
    document = tmp_path / "items.json"
    document.write_bytes(b'[{"n": 1},')
    FileFeedStorage(str(document), feed_options={"format": "json"}).open(None).close()
    assert document.read_bytes() == b'[{"n": 1},'
