"""The engine's lifecycle as Scrapy's: open, start, close (each part, in order, failures
logged), stop, the spider_closed callback, and what start() and the downloader can get wrong."""

from __future__ import annotations

import logging

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.engine.downloader import Downloader
from ascrapy.engine.engine import ExecutionEngine
from ascrapy.engine.scheduler import Scheduler
from ascrapy.exceptions import CloseSpider
from ascrapy.http import Request, Response
from ascrapy.utils.spider import DefaultSpider
from ascrapy.utils.test import get_crawler


def opened_crawler(settings=None):
    crawler = get_crawler(DefaultSpider, settings)
    crawler.spider = crawler._create_spider()
    return crawler


async def test_a_spider_opened_and_never_started_closes_its_parts_in_order(caplog):
    crawler = opened_crawler()
    closed = []
    engine = crawler.engine = ExecutionEngine(crawler, closed.append)
    await engine.open_spider_async()
    with caplog.at_level(logging.INFO):
        await engine.close_spider_async(reason="custom")
    messages = [r.getMessage() for r in caplog.records if r.name == "scrapy.core.engine"]
    assert messages == ["Closing spider (custom)", "Spider closed (custom)"]
    assert closed == [crawler.spider]
    assert engine.spider is None and engine._slot is None
    with pytest.raises(RuntimeError, match="Spider not opened"):
        await engine.close_spider_async()


async def test_a_failing_part_is_logged_and_the_others_still_close(caplog):
    crawler = opened_crawler()
    engine = crawler.engine = ExecutionEngine(crawler)
    await engine.open_spider_async()

    def broken(reason):
        raise OSError("disk gone")

    engine._slot.scheduler.close = broken
    stats_closed = []
    crawler.signals.connect(lambda spider, reason: stats_closed.append(reason), signals.spider_closed)
    await engine.close_spider_async(reason="finished")
    assert "Scheduler close failure" in caplog.text and "disk gone" in caplog.text
    assert stats_closed == ["finished"]
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_engine_misuse_is_refused():
    engine = ExecutionEngine(get_crawler(DefaultSpider))
    with pytest.raises(RuntimeError, match="Engine not running"):
        await engine.stop_async()
    with pytest.raises(RuntimeError, match="Engine slot not assigned"):
        engine.spider_is_idle()
    with pytest.raises(RuntimeError, match="No open spider to crawl"):
        engine.crawl(Request("data:,"))
    await engine.close_async()  # never opened: only the downloader closes


async def test_start_must_be_an_async_generator(caplog):
    class SyncStart(ascrapy.Spider):
        name = "sync_start"

        def start(self):
            yield Request("data:,")

    crawler = get_crawler(SyncStart)
    await crawler.crawl()
    assert "SyncStart.start() must be an asynchronous generator" in caplog.text
    assert crawler.stats.get_value("finish_reason") == "start_error"


async def test_an_error_in_start_finishes_what_was_queued_as_start_error(caplog):
    class Failing(ascrapy.Spider):
        name = "failing"
        seen: list[str] = []

        async def start(self):
            yield Request("data:,a")
            raise ValueError("no more start URLs")

        def parse(self, response):
            self.seen.append(response.url)

    crawler = get_crawler(Failing)
    await crawler.crawl()
    assert Failing.seen == ["data:,a"]
    assert crawler.stats.get_value("finish_reason") == "start_error"
    assert crawler.stats.get_value("spider_exceptions/ValueError") == 1
    assert [r.levelname for r in caplog.records].count("ERROR") == 1


async def test_close_spider_raised_by_a_pipeline_at_open_closes_with_its_reason(caplog):
    class Closing:
        def open_spider(self):
            raise CloseSpider("pipeline_reason")

    crawler = get_crawler(DefaultSpider, {"ITEM_PIPELINES": {Closing: 1}})
    with caplog.at_level(logging.INFO):
        await crawler.crawl()
    assert crawler.stats.get_value("finish_reason") == "pipeline_reason"
    assert "Traceback" not in caplog.text


async def test_the_downloader_setting_is_used_and_a_wrong_result_is_an_error(caplog):
    class WrongType(Downloader):
        def fetch(self, request):
            return "not a response"

    class One(ascrapy.Spider):
        name = "one"

        async def start(self):
            yield Request("data:,")

    crawler = get_crawler(One, {"DOWNLOADER": WrongType})
    await crawler.crawl()
    assert "expected Response or Request, got <class 'str'>" in caplog.text
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_download_async_follows_the_requests_a_downloader_returns():
    crawler = opened_crawler()
    engine = crawler.engine = ExecutionEngine(crawler)
    await engine.open_spider_async()
    hops = [Request(f"http://example.com/{n}") for n in range(3000)]

    class Redirecting:
        def fetch(self, request):
            index = int(request.url.rsplit("/", 1)[1])
            return hops[index + 1] if index + 1 < len(hops) else Response(request.url)

    engine.downloader = Redirecting()
    response = await engine.download_async(hops[0])  # more hops than the recursion limit
    assert response.url == "http://example.com/2999"
    assert engine._slot.inprogress == set()
    await engine.close_spider_async()


async def test_scheduler_empty_is_sent_when_nothing_is_ready(aiohttp_server):
    from .sites import make_link_site

    server = await aiohttp_server(make_link_site(3, 1))
    empty = []

    class Pages(ascrapy.Spider):
        name = "pages"
        start_urls = [str(server.make_url("/"))]

        def parse(self, response):
            yield from response.follow_all(css="a")

    crawler = get_crawler(Pages)
    crawler.signals.connect(lambda: empty.append(1), signals.scheduler_empty)
    await crawler.crawl()
    assert empty


async def test_scheduler_empty_is_sent_by_a_crawl_with_nothing_to_do():
    """As Scrapy's engine, which sends it each time it asks for a request and gets none."""
    class OwnScheduler(Scheduler):  # not Scrapy's own: run by the scheduler adapter
        pass

    empty = []
    for scheduler in ({}, {"SCHEDULER": OwnScheduler}):
        empty.clear()
        crawler = get_crawler(DefaultSpider, scheduler)
        crawler.signals.connect(lambda: empty.append(1), signals.scheduler_empty)
        await crawler.crawl_async()
        assert empty, scheduler


async def test_closing_from_within_start_closes_without_downloading(caplog):
    reached = []

    class ClosesAtOnce(ascrapy.Spider):
        name = "closes"

        async def start(self):
            await self.crawler.engine.close_async()
            yield Request("data:,a")

    crawler = get_crawler(ClosesAtOnce)
    crawler.signals.connect(lambda request, spider: reached.append(request), signals.request_reached_downloader)
    with caplog.at_level(logging.ERROR):
        await crawler.crawl()
    assert crawler.stats.get_value("finish_reason") == "shutdown"
    assert reached == [] and not caplog.records


async def test_start_requests_read_while_the_downloader_is_busy_are_ordered_by_priority(aiohttp_server):
    """As in Scrapy: the first start request goes out at once; the rest are read while it
    downloads, and leave by priority (other requests before start requests within one)."""
    import asyncio

    from aiohttp import web

    async def slow(request):
        await asyncio.sleep(0.05)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{n}", slow)
    server = await aiohttp_server(app)
    order = []

    def url(n):
        return str(server.make_url(f"/{n}"))

    class Ordered(ascrapy.Spider):
        name = "ordered"

        async def start(self):
            yield Request(url(1))
            scheduler = self.crawler.engine._slot.scheduler
            scheduler.enqueue_request(Request(url(2), priority=1))
            scheduler.enqueue_request(Request(url(5)))
            yield Request(url(6))
            yield Request(url(3), priority=1)
            yield Request(url(4), priority=1)

        def parse(self, response):
            pass

    crawler = get_crawler(Ordered, {"CONCURRENT_REQUESTS": 1})
    crawler.signals.connect(lambda request, spider: order.append(int(request.url.rsplit("/", 1)[1])),
                            signals.request_reached_downloader)
    await crawler.crawl()
    assert order == [1, 2, 3, 4, 5, 6]
