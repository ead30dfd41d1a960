"""CloseSpider: each CLOSESPIDER_* limit closes the spider once, with its own reason."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.crawler import CrawlerRunner
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.closespider import CloseSpider
from ascrapy.failure import Failure
from ascrapy.http import Request, Response
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler


def build(settings: dict[str, Any]) -> tuple[ExtCrawler, CloseSpider]:
    crawler = ExtCrawler(settings)
    return crawler, build_from_crawler(CloseSpider, crawler)


def send_pages(crawler: ExtCrawler, count: int) -> None:
    request = Request("http://127.0.0.1/")
    for _ in range(count):
        crawler.signals.send_catch_log(
            signals.response_received, response=Response(request.url, request=request),
            request=request, spider=crawler.spider,
        )


def send_items(crawler: ExtCrawler, count: int) -> None:
    for number in range(count):
        crawler.signals.send_catch_log(signals.item_scraped, item={"n": number}, response=None,
                                       spider=crawler.spider)


def test_not_configured_when_every_limit_is_zero():
    with pytest.raises(NotConfigured):
        build({})


def test_connects_only_the_signals_its_limits_need():
    crawler, _ = build({"CLOSESPIDER_ITEMCOUNT": 3})
    assert crawler.signals.has_receivers(signals.item_scraped)
    assert not crawler.signals.has_receivers(signals.response_received)
    assert not crawler.signals.has_receivers(signals.spider_error)
    assert not crawler.signals.has_receivers(signals.spider_opened)


def test_itemcount_closes_once_when_the_count_is_reached():
    crawler, _ = build({"CLOSESPIDER_ITEMCOUNT": 3})
    send_items(crawler, 2)
    assert crawler.engine.close_calls == []
    send_items(crawler, 3)
    assert crawler.engine.close_calls == ["closespider_itemcount"]


def test_pagecount_closes_when_the_count_is_reached():
    crawler, _ = build({"CLOSESPIDER_PAGECOUNT": 4})
    send_pages(crawler, 3)
    assert crawler.engine.close_calls == []
    send_pages(crawler, 1)
    assert crawler.engine.close_calls == ["closespider_pagecount"]


def test_errorcount_counts_spider_errors():
    crawler, extension = build({"CLOSESPIDER_ERRORCOUNT": 2})  # kept, as the crawler keeps its extensions
    for _ in range(2):
        crawler.signals.send_catch_log(signals.spider_error, failure=Failure(ValueError("x")),
                                       response=None, spider=crawler.spider)
    assert crawler.engine.close_calls == ["closespider_errorcount"]
    assert extension is not None


def test_pagecount_no_item_is_reset_by_every_item():
    crawler, _ = build({"CLOSESPIDER_PAGECOUNT_NO_ITEM": 3})
    send_pages(crawler, 2)
    send_items(crawler, 1)
    send_pages(crawler, 2)
    assert crawler.engine.close_calls == []
    send_pages(crawler, 1)
    assert crawler.engine.close_calls == ["closespider_pagecount_no_item"]


def test_pagecount_wins_over_pagecount_no_item_on_the_same_page():
    crawler, _ = build({"CLOSESPIDER_PAGECOUNT": 3, "CLOSESPIDER_PAGECOUNT_NO_ITEM": 3})
    send_pages(crawler, 3)
    assert crawler.engine.close_calls == ["closespider_pagecount"]


async def test_timeout_closes_after_the_delay():
    crawler, _ = build({"CLOSESPIDER_TIMEOUT": 0.05})
    await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
    assert crawler.engine.close_calls == []
    await asyncio.sleep(0.15)
    assert crawler.engine.close_calls == ["closespider_timeout"]


async def test_spider_closed_cancels_the_timers():
    crawler, extension = build({"CLOSESPIDER_TIMEOUT": 0.05, "CLOSESPIDER_TIMEOUT_NO_ITEM": 1})
    await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
    assert extension.task_no_item is not None and extension.task_no_item.running
    await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider, reason="finished")
    assert extension.task is None and extension.task_no_item is None
    await asyncio.sleep(0.15)
    assert crawler.engine.close_calls == []


async def test_timeout_no_item_checks_each_period(caplog):
    crawler, extension = build({"CLOSESPIDER_TIMEOUT_NO_ITEM": 5})
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.closespider"):
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
    assert "Spider will stop when no items are produced after 5 seconds." in caplog.messages
    send_items(crawler, 2)
    extension._count_items_produced()  # a period with items: reset, keep going
    assert crawler.engine.close_calls == []
    assert extension.items_in_period == 0
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.closespider"):
        extension._count_items_produced()  # a period without items
    assert crawler.engine.close_calls == ["closespider_timeout_no_item"]
    assert "Closing spider since no items were produced in the last 5 seconds." in caplog.messages
    extension.spider_closed(crawler.spider)


# -- end to end: the real engine against a local link site -----------------------------


class FollowSpider(ascrapy.Spider):
    """One item per page; follows every link (the site has far more pages than the limits)."""

    name = "follow"

    def parse(self, response):
        yield {"url": response.url}
        for href in response.css("a.page-link::attr(href)").getall():
            yield response.follow(href)


class FailingSpider(ascrapy.Spider):
    name = "failing"

    def parse(self, response):
        for href in response.css("a.page-link::attr(href)").getall():
            yield response.follow(href)
        raise ValueError("parse failed")


class NoItemSpider(ascrapy.Spider):
    """Items from the first page only, then pages without items."""

    name = "no-item"

    def parse(self, response):
        if response.url.endswith("/page/0"):
            yield {"url": response.url}
        for href in response.css("a.page-link::attr(href)").getall():
            yield response.follow(href)


async def run(spidercls: type, settings: dict[str, Any], url: str) -> dict[str, Any]:
    runner = CrawlerRunner({
        **TEST_SETTINGS,
        "LOG_LEVEL": "INFO",
        "CONCURRENT_REQUESTS": 4,
        "EXTENSIONS": {"ascrapy.extensions.closespider.CloseSpider": 0},
        **settings,
    })
    crawler = runner.create_crawler(spidercls)
    runner.crawl(crawler, start_urls=[url])
    await asyncio.wait_for(runner.join(), 30)
    return crawler.stats.get_stats()


@pytest.mark.parametrize(
    ("spidercls", "settings", "reason", "check"),
    [
        (FollowSpider, {"CLOSESPIDER_ITEMCOUNT": 10}, "closespider_itemcount",
         lambda s: 10 <= s["item_scraped_count"] < 100),
        (FollowSpider, {"CLOSESPIDER_PAGECOUNT": 10}, "closespider_pagecount",
         lambda s: 10 <= s["response_received_count"] < 100),
        (FailingSpider, {"CLOSESPIDER_ERRORCOUNT": 3}, "closespider_errorcount",
         lambda s: 3 <= s["spider_exceptions/ValueError"] < 100),
        (NoItemSpider, {"CLOSESPIDER_PAGECOUNT_NO_ITEM": 5}, "closespider_pagecount_no_item",
         lambda s: s["item_scraped_count"] == 1 and s["response_received_count"] < 50),
        (FollowSpider, {"CLOSESPIDER_TIMEOUT": 0.3, "DOWNLOAD_DELAY": 0.05, "CONCURRENT_REQUESTS": 1},
         "closespider_timeout", lambda s: s["elapsed_time_seconds"] >= 0.3),
    ],
    ids=["itemcount", "pagecount", "errorcount", "pagecount_no_item", "timeout"],
)
async def test_crawl_stops_at_the_limit(link_site, spidercls, settings, reason, check):
    stats = await run(spidercls, settings, link_site(2000, 20) + "/page/0")
    assert stats["finish_reason"] == reason
    assert check(stats), stats


async def test_crawl_stops_when_no_item_comes_in_time(link_site):
    stats = await run(
        NoItemSpider,
        {"CLOSESPIDER_TIMEOUT_NO_ITEM": 1, "DOWNLOAD_DELAY": 0.1, "CONCURRENT_REQUESTS": 1},
        link_site(2000, 20) + "/page/0",
    )
    assert stats["finish_reason"] == "closespider_timeout_no_item"
    assert stats["elapsed_time_seconds"] >= 1.0  # not before its time
    assert stats["response_received_count"] < 2000  # stopped, not run to the end
