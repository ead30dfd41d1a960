"""Dates and times in feeds: Scrapy 2.19's ISO 8601 by default in JSON and JSON lines, Scrapy
2.13's "2000-01-02 03:04:05" with FEED_EXPORT_DATETIME_FORMAT = "scrapy-2.13" (or a feed's
item_export_kwargs); CSV and XML write str(value) either way, as both Scrapy versions do."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import pytest

import ascrapy
from ascrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter, XmlItemExporter
from tests.crawl_helpers import crawl

ITEM = {
    "plain": datetime(2000, 1, 2, 3, 4, 5),
    "precise": datetime(2000, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc),
    "day": date(2000, 1, 2),
    "clock": time(3, 4, 5, 7),
}
FIELDS = list(ITEM)

ISO = ["2000-01-02T03:04:05", "2000-01-02T03:04:05.123456+00:00", "2000-01-02", "03:04:05.000007"]
SCRAPY_2_13 = ["2000-01-02 03:04:05", "2000-01-02 03:04:05", "2000-01-02", "03:04:05"]
STR = [str(value) for value in ITEM.values()]  # what CSV and XML write in both versions


def read_json(data: bytes) -> list[str]:
    return [json.loads(data)[0][field] for field in FIELDS]


def read_jsonlines(data: bytes) -> list[str]:
    return [json.loads(data.splitlines()[0])[field] for field in FIELDS]


def read_csv(data: bytes) -> list[str]:
    return [next(csv.DictReader(io.StringIO(data.decode())))[field] for field in FIELDS]


def read_xml(data: bytes) -> list[str]:
    item = ET.fromstring(data).find("item")
    assert item is not None
    return [item.findtext(field) or "" for field in FIELDS]


FORMATS = {  # feed format: (exporter, reader, ISO default, with "scrapy-2.13")
    "json": (JsonItemExporter, read_json, ISO, SCRAPY_2_13),
    "jsonlines": (JsonLinesItemExporter, read_jsonlines, ISO, SCRAPY_2_13),
    "csv": (CsvItemExporter, read_csv, STR, STR),
    "xml": (XmlItemExporter, read_xml, STR, STR),
}


def export(exporter_class: type, **options: Any) -> bytes:
    out = io.BytesIO()
    exporter = exporter_class(out, **options)
    exporter.start_exporting()
    exporter.export_item(dict(ITEM))
    exporter.finish_exporting()
    return out.getvalue()


@pytest.mark.parametrize("feed_format", FORMATS)
def test_exporters_write_iso_by_default_and_scrapy_2_13_on_request(feed_format):
    exporter_class, read, default, legacy = FORMATS[feed_format]
    assert read(export(exporter_class)) == default
    assert read(export(exporter_class, datetime_format="iso")) == default
    assert read(export(exporter_class, datetime_format="scrapy-2.13")) == legacy


def test_an_unknown_datetime_format_is_refused_by_name():
    with pytest.raises(ValueError, match=r"must be 'iso' or 'scrapy-2.13', not 'iso8601'"):
        JsonItemExporter(io.BytesIO(), datetime_format="iso8601")


class OneItem(ascrapy.Spider):
    name = "one_item"

    async def start(self):
        yield dict(ITEM)


def feeds(folder: Path, **options: Any) -> dict[str, dict[str, Any]]:
    return {str(folder / f"items.{name}"): {"format": name, **options} for name in FORMATS}


@pytest.mark.parametrize("legacy", [False, True])
async def test_feeds_follow_the_setting(tmp_path, legacy):
    settings = {"FEED_EXPORT_DATETIME_FORMAT": "scrapy-2.13"} if legacy else {}
    await crawl(OneItem, {"FEEDS": feeds(tmp_path), **settings})
    for name, (_, read, default, scrapy_2_13) in FORMATS.items():
        assert read((tmp_path / f"items.{name}").read_bytes()) == (scrapy_2_13 if legacy else default), name


async def test_a_feed_may_choose_its_own_format(tmp_path):
    own = {"item_export_kwargs": {"datetime_format": "iso"}}
    await crawl(OneItem, {"FEEDS": feeds(tmp_path, **own), "FEED_EXPORT_DATETIME_FORMAT": "scrapy-2.13"})
    assert read_jsonlines((tmp_path / "items.jsonlines").read_bytes()) == ISO


async def test_a_wrong_setting_stops_the_crawl_before_it_starts(tmp_path):
    with pytest.raises(ValueError, match="FEED_EXPORT_DATETIME_FORMAT"):
        await crawl(OneItem, {"FEEDS": feeds(tmp_path), "FEED_EXPORT_DATETIME_FORMAT": "2.13"})
    assert not list(tmp_path.iterdir())
