"""LogStats: the periodic "Crawled N pages" line, its rates, and the per-minute stats at close."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

import pytest

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.logstats import LogStats
from ascrapy.utils.misc import build_from_crawler

from .ext_helpers import ExtCrawler


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "scrapy.extensions.logstats"]


def test_no_interval_is_not_configured():
    with pytest.raises(NotConfigured):
        build_from_crawler(LogStats, ExtCrawler({"LOGSTATS_INTERVAL": 0}))


async def test_a_line_at_open_then_one_per_interval_until_close(caplog):
    crawler = ExtCrawler({"LOGSTATS_INTERVAL": 0.1})
    extension = build_from_crawler(LogStats, crawler)
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.logstats"):
        crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
        assert lines(caplog) == ["Crawled 0 pages (at 0 pages/min), scraped 0 items (at 0 items/min)"]
        crawler.stats.set_value("response_received_count", 3)
        crawler.stats.set_value("item_scraped_count", 1)
        await asyncio.sleep(0.15)
        crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
        seen = len(lines(caplog))
        await asyncio.sleep(0.25)
    # 3 pages in 0.1 s: 1800 pages/min; then nothing new
    assert lines(caplog)[1] == "Crawled 3 pages (at 1800 pages/min), scraped 1 items (at 600 items/min)"
    assert seen == 2 and len(lines(caplog)) == seen  # no line after the close
    assert not extension.task.running


def test_rates_over_the_whole_crawl_are_stored_at_close():
    crawler = ExtCrawler({"LOGSTATS_INTERVAL": 60})
    extension = build_from_crawler(LogStats, crawler)  # kept, as the crawler keeps its extensions
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for key, value in {"start_time": start, "finish_time": start + timedelta(minutes=2),
                       "response_received_count": 300, "item_scraped_count": 50}.items():
        crawler.stats.set_value(key, value)
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    assert crawler.stats.get_value("responses_per_minute") == 150
    assert crawler.stats.get_value("items_per_minute") == 25
    assert extension is not None


def test_a_crawl_under_a_second_has_no_rates():
    crawler = ExtCrawler({"LOGSTATS_INTERVAL": 60})
    build_from_crawler(LogStats, crawler)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    crawler.stats.set_value("start_time", start)
    crawler.stats.set_value("finish_time", start + timedelta(milliseconds=500))
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    assert crawler.stats.get_value("responses_per_minute") is None
    assert crawler.stats.get_value("items_per_minute") is None
