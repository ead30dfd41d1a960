"""PeriodicLog: which stats each section shows, the JSON line, and its timing."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.crawler import CrawlerRunner
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.extensions.periodic_log import PeriodicLog
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler

LOGGER = "scrapy.extensions.periodic_log"
START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def build(settings: dict[str, Any]) -> tuple[ExtCrawler, PeriodicLog]:
    crawler = ExtCrawler({"LOGSTATS_INTERVAL": 60, **settings})
    return crawler, build_from_crawler(PeriodicLog, crawler)


def fill(crawler: ExtCrawler, **values: Any) -> None:
    for key, value in values.items():
        crawler.stats.set_value(key.replace("__", "/"), value)


@pytest.mark.parametrize(
    "settings",
    [
        {"PERIODIC_LOG_STATS": True},
        {"PERIODIC_LOG_STATS": "True"},
        {"PERIODIC_LOG_DELTA": True},
        {"PERIODIC_LOG_DELTA": "true"},
        {"PERIODIC_LOG_DELTA": {"include": ["downloader/"]}},
        {"PERIODIC_LOG_STATS": '{"exclude": ["bytes"]}'},
        {"PERIODIC_LOG_TIMING_ENABLED": True},
    ],
)
def test_enabled_by_any_section(settings):
    _, extension = build(settings)
    assert isinstance(extension, PeriodicLog)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"PERIODIC_LOG_STATS": False, "PERIODIC_LOG_DELTA": "False"},
        {"PERIODIC_LOG_STATS": True, "LOGSTATS_INTERVAL": 0},
    ],
)
def test_not_configured(settings):
    with pytest.raises(NotConfigured):
        build(settings)


def test_json_string_settings_are_dicts():
    _, extension = build({"PERIODIC_LOG_STATS": '{"include": ["item"], "exclude": ["dropped"]}'})
    assert extension.ext_stats_enabled
    assert list(extension.ext_stats_include) == ["item"]
    assert list(extension.ext_stats_exclude) == ["dropped"]
    assert not extension.ext_delta_enabled


@pytest.mark.parametrize(
    ("include", "exclude", "kept"),
    [
        ((), (), {"downloader/request_bytes", "downloader/request_count", "item_scraped_count"}),
        (("downloader/",), (), {"downloader/request_bytes", "downloader/request_count"}),
        ((), ("bytes",), {"downloader/request_count", "item_scraped_count"}),
        (("downloader/",), ("bytes",), {"downloader/request_count"}),
        (("item", "count"), (), {"downloader/request_count", "item_scraped_count"}),
    ],
)
def test_param_allowed(include, exclude, kept):
    _, extension = build({"PERIODIC_LOG_STATS": True})
    names = ["downloader/request_bytes", "downloader/request_count", "item_scraped_count"]
    assert {name for name in names if extension.param_allowed(name, include, exclude)} == kept


def test_delta_is_the_change_of_numeric_stats_since_the_last_call():
    crawler, extension = build({"PERIODIC_LOG_DELTA": {"exclude": ["depth"]}})
    fill(crawler, start_time=START, item_scraped_count=10, request_depth_max=3, memusage__max=2.5)
    assert extension.log_delta() == {"delta": {"item_scraped_count": 10, "memusage/max": 2.5}}
    fill(crawler, item_scraped_count=25, response_received_count=4)
    assert extension.log_delta() == {
        "delta": {"item_scraped_count": 15, "memusage/max": 0.0, "response_received_count": 4}
    }


def test_stats_section_filters_every_value():
    crawler, extension = build({"PERIODIC_LOG_STATS": {"include": ["time", "item"]}})
    fill(crawler, start_time=START, item_scraped_count=1, response_received_count=2)
    assert extension.log_crawler_stats() == {"stats": {"start_time": START, "item_scraped_count": 1}}


def test_timing_section():
    crawler, extension = build({"PERIODIC_LOG_TIMING_ENABLED": True, "LOGSTATS_INTERVAL": 30})
    started = datetime.now(tz=timezone.utc) - timedelta(seconds=90)
    fill(crawler, start_time=started)
    extension.time_prev = datetime.now(tz=timezone.utc) - timedelta(seconds=30)
    timing = extension.log_timing()["time"]
    assert timing["log_interval"] == 30
    assert timing["start_time"] == started
    assert 30 <= timing["log_interval_real"] < 40
    assert 90 <= timing["elapsed"] < 100
    assert extension.time_prev == timing["utcnow"]


def test_log_writes_one_sorted_indented_json_line(caplog):
    crawler, extension = build({"PERIODIC_LOG_STATS": True, "PERIODIC_LOG_DELTA": True,
                                "PERIODIC_LOG_TIMING_ENABLED": True})
    fill(crawler, start_time=START, item_scraped_count=3)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        extension.log()
    (message,) = caplog.messages
    data = json.loads(message)
    assert list(data) == ["delta", "stats", "time"]
    assert data["delta"] == {"item_scraped_count": 3}
    assert data["stats"]["item_scraped_count"] == 3
    assert message.startswith('{\n    "delta": {')


async def test_logs_every_interval_and_once_more_on_close(caplog):
    crawler, extension = build({"PERIODIC_LOG_DELTA": True, "LOGSTATS_INTERVAL": 0.03})
    with caplog.at_level(logging.INFO, logger=LOGGER):
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
        await asyncio.sleep(0.1)
        ticks = len(caplog.records)
        await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider,
                                                   reason="finished")
        await asyncio.sleep(0.08)
    assert 3 <= ticks <= 5  # right away, then every 0.03 s
    assert len(caplog.records) == ticks + 1
    assert extension.task is not None and not extension.task.running


def test_multiplier_is_deprecated():
    _, extension = build({"PERIODIC_LOG_STATS": True, "LOGSTATS_INTERVAL": 30})
    with pytest.warns(ScrapyDeprecationWarning):
        assert extension.multiplier == 2.0
    with pytest.warns(ScrapyDeprecationWarning):
        extension.multiplier = 4.0
    with pytest.warns(ScrapyDeprecationWarning):
        assert extension.multiplier == 4.0


class QuietSpider(ascrapy.Spider):
    name = "quiet"
    start_urls: list[str] = []


async def test_crawl_logs_the_timing_on_close(caplog):
    runner = CrawlerRunner({
        **TEST_SETTINGS,
        "EXTENSIONS": {"ascrapy.extensions.periodic_log.PeriodicLog": 0},
        "PERIODIC_LOG_TIMING_ENABLED": True,
        "LOGSTATS_INTERVAL": 30,
    })
    crawler = runner.create_crawler(QuietSpider)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        runner.crawl(crawler)
        await asyncio.wait_for(runner.join(), 30)
    records = [record for record in caplog.records if record.name == LOGGER]
    assert len(records) == 2  # when the spider opened and when it closed
    data = json.loads(records[-1].getMessage())
    assert list(data) == ["time"]
    assert data["time"]["log_interval"] == 30
    assert data["time"]["elapsed"] >= data["time"]["log_interval_real"] >= 0
