"""AutoThrottle: start delay, the delay adjustment rule, its limits and its debug line."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp import web

import ascrapy
from ascrapy import signals
from ascrapy.crawler import CrawlerRunner
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.throttle import AutoThrottle
from ascrapy.http import Request, Response
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler


def opened(settings: dict[str, Any] | None = None) -> tuple[ExtCrawler, AutoThrottle]:
    crawler = ExtCrawler({"AUTOTHROTTLE_ENABLED": True, **(settings or {})})
    extension = build_from_crawler(AutoThrottle, crawler)
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
    return crawler, extension


def downloaded(crawler: ExtCrawler, meta: dict[str, Any], status: int = 200, body: bytes = b"") -> None:
    request = Request("http://site.test/page", meta=meta)
    response = Response(request.url, status=status, body=body, request=request)
    crawler.signals.send_catch_log(signals.response_downloaded, response=response, request=request,
                                   spider=crawler.spider)


def test_disabled_by_default():
    with pytest.raises(NotConfigured):
        build_from_crawler(AutoThrottle, ExtCrawler())


@pytest.mark.parametrize("value", [0.0, -2.0])
def test_target_concurrency_must_be_positive(value):
    crawler = ExtCrawler({"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": value})
    with pytest.raises(NotConfigured, match="must be higher than 0"):
        build_from_crawler(AutoThrottle, crawler)


@pytest.mark.parametrize(
    ("settings", "start", "mindelay", "maxdelay"),
    [
        ({}, 5.0, 0.0, 60.0),
        ({"DOWNLOAD_DELAY": 7.0}, 7.0, 7.0, 60.0),
        ({"AUTOTHROTTLE_START_DELAY": 2.0, "DOWNLOAD_DELAY": 1.0, "AUTOTHROTTLE_MAX_DELAY": 9.0}, 2.0, 1.0, 9.0),
    ],
)
def test_spider_opened_sets_the_delay_of_new_slots(settings, start, mindelay, maxdelay):
    crawler, extension = opened(settings)
    assert crawler.engine.downloader._delay == start
    assert (extension.mindelay, extension.maxdelay) == (mindelay, maxdelay)


@pytest.mark.parametrize(
    ("latency", "target", "delay", "expected"),
    [
        (2.0, 2.0, 1.0, 1.0),   # on target: stays
        (1.0, 2.0, 1.0, 0.75),  # faster server: halfway down to 0.5
        (6.0, 2.0, 1.0, 3.0),   # slower server: straight up to the target
        (3.0, 1.0, 1.0, 3.0),
        (2.0, 4.0, 2.0, 1.25),
    ],
)
def test_delay_moves_towards_latency_over_target_concurrency(latency, target, delay, expected):
    crawler, _ = opened({"AUTOTHROTTLE_TARGET_CONCURRENCY": target})
    slot = crawler.engine.downloader.add_slot("site", delay)
    downloaded(crawler, {"download_latency": latency, "download_slot": "site"})
    assert slot.delay == pytest.approx(expected)


@pytest.mark.parametrize(
    ("mindelay", "maxdelay", "expected"),
    [(0.1, 10.0, 3.0), (4.0, 10.0, 4.0), (0.1, 2.0, 2.0)],
)
def test_delay_stays_between_download_delay_and_max_delay(mindelay, maxdelay, expected):
    crawler, _ = opened({"DOWNLOAD_DELAY": mindelay, "AUTOTHROTTLE_MAX_DELAY": maxdelay})
    slot = crawler.engine.downloader.add_slot("site", 1.0)
    downloaded(crawler, {"download_latency": 3.0, "download_slot": "site"})
    assert slot.delay == pytest.approx(expected)


def test_error_responses_never_lower_the_delay():
    crawler, _ = opened()
    slot = crawler.engine.downloader.add_slot("site", 1.0)
    downloaded(crawler, {"download_latency": 0.1, "download_slot": "site"}, status=503)
    assert slot.delay == 1.0
    downloaded(crawler, {"download_latency": 4.0, "download_slot": "site"}, status=503)
    assert slot.delay == 4.0


@pytest.mark.parametrize(
    "meta",
    [
        {"download_slot": "site"},  # no latency
        {"download_latency": 3.0, "download_slot": "other"},  # unknown slot
        {"download_latency": 3.0, "download_slot": "site", "autothrottle_dont_adjust_delay": True},
    ],
)
def test_responses_that_leave_the_delay_alone(meta):
    crawler, _ = opened()
    slot = crawler.engine.downloader.add_slot("site", 1.0)
    downloaded(crawler, meta)
    assert slot.delay == 1.0


def test_slot_key_comes_from_the_downloader_when_meta_has_none():
    crawler, _ = opened()
    slot = crawler.engine.downloader.add_slot("site.test", 1.0)
    downloaded(crawler, {"download_latency": 3.0})
    assert slot.delay == 3.0


def test_debug_logs_one_line_per_adjustment(caplog):
    crawler, _ = opened({"AUTOTHROTTLE_DEBUG": True})
    slot = crawler.engine.downloader.add_slot("site", 2.0)
    slot.transferring.update({"a", "b"})  # conc: requests in the download handler
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.throttle"):
        downloaded(crawler, {"download_latency": 1.0, "download_slot": "site"}, body=b"abc")
    assert caplog.record_tuples == [(
        "scrapy.extensions.throttle", logging.INFO,
        "slot: site | conc: 2 | delay: 1500 ms (-500) | latency: 1000 ms | size:     3 bytes",
    )]


def test_no_log_without_debug(caplog):
    crawler, _ = opened()
    crawler.engine.downloader.add_slot("site", 2.0)
    with caplog.at_level(logging.DEBUG, logger="scrapy.extensions.throttle"):
        downloaded(crawler, {"download_latency": 1.0, "download_slot": "site"})
    assert caplog.records == []


# -- end to end -------------------------------------------------------------------------


def slow_app(latency: float) -> web.Application:
    async def page(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)
        return web.Response(text="<html><body>slow</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/{n}", page)
    return app


class SlowPagesSpider(ascrapy.Spider):
    name = "slow-pages"

    async def start(self):
        for number in range(6):
            yield ascrapy.Request(f"{self.base}/{number}")

    def parse(self, response):
        return None


async def test_crawl_adjusts_the_slot_delay_to_the_latency(aiohttp_server):
    server = await aiohttp_server(slow_app(0.05))
    runner = CrawlerRunner({
        **TEST_SETTINGS,
        "EXTENSIONS": {"ascrapy.extensions.throttle.AutoThrottle": 0},
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        "AUTOTHROTTLE_MAX_DELAY": 1.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 0.5,
    })
    crawler = runner.create_crawler(SlowPagesSpider)
    runner.crawl(crawler, base=str(server.make_url("")).rstrip("/"))
    await asyncio.wait_for(runner.join(), 30)
    assert crawler.stats.get_value("response_received_count") == 6
    (slot,) = crawler.engine.downloader.slots.values()
    # latency about 0.05 s, one request in flight per 0.1 s wanted
    assert 0.08 <= slot.delay <= 1.0
