"""End-to-end crawls through the whole engine against local aiohttp servers."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import attrs
import pytest
from aiohttp import web
from itemadapter import ItemAdapter

import ascrapy
from ascrapy import signals
from ascrapy.exceptions import CloseSpider, DontCloseSpider, DropItem

from .crawl_helpers import crawl


def link_app(pages: int, links: int) -> web.Application:
    """Page i links to i+1 .. i+links (wrapping around past page 0, which nothing links to,
    as start requests are not filtered): every page is reached exactly once from page 0."""
    async def page(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        anchors = "".join(
            f'<a href="/page/{1 + (n + k - 1) % (pages - 1)}">p</a>' for k in range(1, links + 1)
        )
        body = f"<html><head><title>Page {n}</title></head><body><h1>{n}</h1>{anchors}</body></html>"
        return web.Response(text=body, content_type="text/html")

    app = web.Application()
    app.router.add_get("/page/{n}", page)
    return app


class LinkSpider(ascrapy.Spider):
    name = "links"

    def parse(self, response):
        yield {"url": response.url, "title": response.css("title::text").get()}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


async def test_follows_every_link_once_and_yields_one_item_per_page(aiohttp_server):
    server = await aiohttp_server(link_app(60, 8))
    crawler = await crawl(LinkSpider, start_urls=[str(server.make_url("/page/0"))])
    stats = crawler.stats.get_stats()
    assert stats["item_scraped_count"] == 60
    assert stats["response_received_count"] == 60
    assert stats["downloader/response_status_count/200"] == 60
    assert stats["finish_reason"] == "finished"
    assert stats["dupefilter/filtered"] == 60 * 8 - 59
    assert stats["downloader/request_count"] == 60
    assert stats["scheduler/enqueued"] == stats["scheduler/dequeued"] == 60
    assert stats["elapsed_time_seconds"] > 0


async def test_per_domain_concurrency_is_respected(aiohttp_server):
    active = 0
    peak = 0

    async def slow(request):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.02)
        active -= 1
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{n}", slow)
    server = await aiohttp_server(app)

    class Many(ascrapy.Spider):
        name = "many"

        async def start(self):
            for n in range(30):
                yield ascrapy.Request(str(server.make_url(f"/{n}")))

        def parse(self, response):
            return None

    crawler = await crawl(Many, {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 3})
    assert crawler.stats.get_value("response_received_count") == 30
    assert peak == 3


async def test_download_delay_spaces_requests(aiohttp_server):
    times = []

    async def handler(request):
        times.append(asyncio.get_running_loop().time())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{n}", handler)
    server = await aiohttp_server(app)

    class Delayed(ascrapy.Spider):
        name = "delayed"
        start_urls = [str(server.make_url(f"/{n}")) for n in range(4)]

        def parse(self, response):
            return None

    await crawl(Delayed, {"DOWNLOAD_DELAY": 0.1, "RANDOMIZE_DOWNLOAD_DELAY": False})
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 4
    assert min(gaps) >= 0.09


@dataclasses.dataclass
class DataItem:
    kind: str


@attrs.define
class AttrsItem:
    kind: str


class ScrapyItem(ascrapy.Item):
    kind = ascrapy.Field()


async def test_callback_shapes_and_item_types(aiohttp_server):
    server = await aiohttp_server(link_app(10, 1))
    url = str(server.make_url("/page/1"))

    class Shapes(ascrapy.Spider):
        name = "shapes"

        async def start(self):
            yield ascrapy.Request(url, callback=self.returns_list, dont_filter=True)
            yield ascrapy.Request(url, callback=self.generator, dont_filter=True)
            yield ascrapy.Request(url, callback=self.coroutine, dont_filter=True)
            yield ascrapy.Request(url, callback=self.async_generator, dont_filter=True)
            yield ascrapy.Request(url, callback=self.returns_none, dont_filter=True)
            yield ascrapy.Request(url, callback=self.single_item, dont_filter=True,
                                  cb_kwargs={"label": "kw"})
            yield {"kind": "from-start"}

        def returns_list(self, response):
            return [{"kind": "list"}, DataItem("dataclass")]

        def generator(self, response):
            yield AttrsItem("attrs")
            yield ScrapyItem(kind="item")

        async def coroutine(self, response):
            await asyncio.sleep(0)
            return [{"kind": "coroutine"}]

        async def async_generator(self, response):
            await asyncio.sleep(0)
            yield {"kind": "async-generator"}

        def returns_none(self, response):
            return None

        def single_item(self, response, label):
            return {"kind": label}

    seen = []

    class Recorder:
        def process_item(self, item):
            seen.append(ItemAdapter(item).get("kind"))
            return item

    crawler = await crawl(Shapes, {"ITEM_PIPELINES": {Recorder: 100}})
    assert sorted(seen) == sorted(
        ["list", "dataclass", "attrs", "item", "coroutine", "async-generator", "kw", "from-start"]
    )
    assert crawler.stats.get_value("item_scraped_count") == 8


async def test_404_goes_to_errback_with_http_error_and_is_ignored_without_one(aiohttp_server):
    async def missing(request):
        return web.Response(status=404, text="nope")

    app = web.Application()
    app.router.add_get("/{name}", missing)
    server = await aiohttp_server(app)
    failures = []

    class Errbacks(ascrapy.Spider):
        name = "errbacks"

        async def start(self):
            yield ascrapy.Request(str(server.make_url("/with")), errback=self.failed)
            yield ascrapy.Request(str(server.make_url("/without")))

        def parse(self, response):
            raise AssertionError("a 404 must not reach the callback")

        def failed(self, failure):
            failures.append(failure)
            yield {"failed": failure.request.url}

    crawler = await crawl(Errbacks)
    from ascrapy.middleware.spider.httperror import HttpError

    assert len(failures) == 1
    assert failures[0].check(HttpError)
    assert failures[0].value.response.status == 404
    stats = crawler.stats.get_stats()
    assert stats["httperror/response_ignored_count"] == 1
    assert stats["item_scraped_count"] == 1
    assert "spider_exceptions/count" not in stats


async def test_500_is_retried_then_reported(aiohttp_server):
    hits = 0

    async def broken(request):
        nonlocal hits
        hits += 1
        return web.Response(status=500, text="boom")

    app = web.Application()
    app.router.add_get("/", broken)
    server = await aiohttp_server(app)

    class Retry(ascrapy.Spider):
        name = "retry"
        start_urls = [str(server.make_url("/"))]

        def parse(self, response):
            raise AssertionError("unreachable")

    crawler = await crawl(Retry, {"RETRY_TIMES": 2})
    stats = crawler.stats.get_stats()
    assert hits == 3
    assert stats["retry/count"] == 2
    assert stats["retry/max_reached"] == 1
    assert stats["downloader/response_status_count/500"] == 3


async def test_connection_refused_reaches_errback(unused_tcp_port):
    from ascrapy.exceptions import DownloadConnectionRefusedError

    failures = []

    class Refused(ascrapy.Spider):
        name = "refused"

        async def start(self):
            yield ascrapy.Request(f"http://127.0.0.1:{unused_tcp_port}/", errback=failures.append)

    crawler = await crawl(Refused, {"RETRY_TIMES": 0})
    assert len(failures) == 1
    assert failures[0].check(DownloadConnectionRefusedError)
    stats = crawler.stats.get_stats()
    assert stats["downloader/exception_count"] == 1
    key = "downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError"
    assert stats[key] == 1


async def test_timeout_is_a_download_timeout_error(aiohttp_server):
    from ascrapy.exceptions import DownloadTimeoutError

    async def slow(request):
        await asyncio.sleep(2)
        return web.Response(text="late")

    app = web.Application()
    app.router.add_get("/", slow)
    server = await aiohttp_server(app)
    failures = []

    class Slow(ascrapy.Spider):
        name = "slow"

        async def start(self):
            yield ascrapy.Request(str(server.make_url("/")), errback=failures.append)

    await crawl(Slow, {"DOWNLOAD_TIMEOUT": 0.2, "RETRY_TIMES": 0})
    assert len(failures) == 1 and failures[0].check(DownloadTimeoutError)
    assert "took longer than 0.2 seconds" in str(failures[0].value)


@pytest.mark.parametrize("chunked", [False, True])
async def test_body_over_maxsize_is_cancelled_while_streaming(aiohttp_server, chunked):
    from ascrapy.exceptions import DownloadCancelledError

    async def big(request):
        response = web.StreamResponse()
        if not chunked:
            response.content_length = 5_000_000
        await response.prepare(request)
        for _ in range(50):
            await response.write(b"x" * 100_000)
        return response

    app = web.Application()
    app.router.add_get("/", big)
    server = await aiohttp_server(app)
    failures = []

    class Big(ascrapy.Spider):
        name = "big"

        async def start(self):
            yield ascrapy.Request(str(server.make_url("/")), errback=failures.append)

    await crawl(Big, {"DOWNLOAD_MAXSIZE": 1_000_000, "RETRY_TIMES": 0})
    assert len(failures) == 1 and failures[0].check(DownloadCancelledError)
    assert ("Expected to receive" if not chunked else "Received") in str(failures[0].value)


async def test_raising_callback_is_counted_and_the_crawl_goes_on(aiohttp_server, caplog):
    server = await aiohttp_server(link_app(5, 1))

    class Raising(ascrapy.Spider):
        name = "raising"
        start_urls = [str(server.make_url("/page/0"))]

        def parse(self, response):
            n = int(response.url.rsplit("/", 1)[1])
            if n == 2:
                raise ValueError("bad page")
            yield {"n": n}
            yield response.follow(f"/page/{n + 1}")

    crawler = await crawl(Raising)
    stats = crawler.stats.get_stats()
    assert stats["spider_exceptions/ValueError"] == 1
    assert stats["spider_exceptions/count"] == 1
    assert stats["item_scraped_count"] == 2
    assert "Spider error processing <GET" in caplog.text
    assert "ValueError: bad page" in caplog.text


async def test_raising_and_dropping_pipelines(aiohttp_server, caplog):
    server = await aiohttp_server(link_app(3, 1))

    class Items(ascrapy.Spider):
        name = "items"
        start_urls = [str(server.make_url("/page/0"))]

        def parse(self, response):
            for n in range(6):
                yield {"n": n}

    class Pipeline:
        async def process_item(self, item):
            if item["n"] == 1:
                raise DropItem("one is dropped")
            if item["n"] == 2:
                raise KeyError("pipeline bug")
            return item

    crawler = await crawl(Items, {"ITEM_PIPELINES": {Pipeline: 100}})
    stats = crawler.stats.get_stats()
    assert stats["item_scraped_count"] == 4
    assert stats["item_dropped_count"] == 1
    assert stats["item_dropped_reasons_count/DropItem"] == 1
    assert stats["item_error_count"] == 1
    assert "Error processing {'n': 2}" in caplog.text
    assert "Dropped: one is dropped" in caplog.text


async def test_close_spider_from_callback_sets_the_reason(aiohttp_server):
    server = await aiohttp_server(link_app(50, 3))

    class Closing(ascrapy.Spider):
        name = "closing"
        start_urls = [str(server.make_url("/page/0"))]

        def parse(self, response):
            if response.url.endswith("/page/2"):
                raise CloseSpider("enough")
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href)

    crawler = await crawl(Closing, {"CONCURRENT_REQUESTS": 1})
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "enough"
    assert stats["response_received_count"] < 50


async def test_spider_idle_can_keep_the_spider_open_and_add_requests(aiohttp_server):
    server = await aiohttp_server(link_app(5, 1))

    class Idle(ascrapy.Spider):
        name = "idle"
        start_urls = [str(server.make_url("/page/0"))]
        extra_sent = False

        @classmethod
        def from_crawler(cls, crawler, *args, **kwargs):
            spider = super().from_crawler(crawler, *args, **kwargs)
            crawler.signals.connect(spider.idle, signal=signals.spider_idle)
            return spider

        def idle(self):
            if not self.extra_sent:
                self.extra_sent = True
                self.crawler.engine.crawl(ascrapy.Request(str(server.make_url("/page/3"))))
                raise DontCloseSpider

        def parse(self, response):
            yield {"url": response.url}

    crawler = await crawl(Idle)
    assert crawler.stats.get_value("item_scraped_count") == 2


async def test_old_start_requests_api_still_works(aiohttp_server):
    server = await aiohttp_server(link_app(5, 1))

    class Old(ascrapy.Spider):
        name = "old"

        def start_requests(self):
            for n in range(3):
                yield ascrapy.Request(str(server.make_url(f"/page/{n}")), callback=self.parse_page)

        def parse_page(self, response):
            yield {"title": response.css("title::text").get()}

    crawler = await crawl(Old)
    assert crawler.stats.get_value("item_scraped_count") == 3


async def test_depth_priority_with_fifo_queues_crawls_breadth_first(aiohttp_server):
    order = []

    async def tree(request):
        path = request.match_info["path"]
        if len(path) < 3:
            links = "".join(f'<a href="/t/{path}{c}">x</a>' for c in "ab")
        else:
            links = ""
        return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/t/{path}", tree)
    server = await aiohttp_server(app)

    class Tree(ascrapy.Spider):
        name = "tree"
        start_urls = [str(server.make_url("/t/r"))]

        def parse(self, response):
            order.append(response.url.rsplit("/", 1)[1])
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href)

    await crawl(Tree, {
        "CONCURRENT_REQUESTS": 1,
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_MEMORY_QUEUE": "ascrapy.squeues.FifoMemoryQueue",
    })
    depths = [len(name) for name in order]
    assert depths == sorted(depths)
    assert len(order) == 7


async def test_feed_export_writes_jsonlines(aiohttp_server, tmp_path):
    server = await aiohttp_server(link_app(20, 3))
    output = tmp_path / "items.jsonl"
    crawler = await crawl(LinkSpider, {"FEEDS": {str(output): {"format": "jsonlines"}}},
                          start_urls=[str(server.make_url("/page/0"))])
    lines = output.read_text().splitlines()
    assert len(lines) == 20
    assert {json.loads(line)["title"] for line in lines} == {f"Page {n}" for n in range(20)}
    assert crawler.stats.get_value("feedexport/success_count/FileFeedStorage") == 1


async def test_responses_are_freed_without_waiting_for_the_cycle_collector(aiohttp_server):
    """A response's cached selector refers back to it; the engine breaks that cycle after
    the callback, so pages do not pile up until a full garbage collection."""
    import gc

    from ascrapy.http import HtmlResponse

    server = await aiohttp_server(link_app(40, 2))
    gc.collect()
    gc.disable()
    try:
        await crawl(LinkSpider, {"CONCURRENT_REQUESTS": 4}, start_urls=[str(server.make_url("/page/0"))])
        alive = sum(1 for obj in gc.get_objects() if isinstance(obj, HtmlResponse))
    finally:
        gc.enable()
    assert alive < 5


async def test_engine_pause_stops_new_downloads_until_unpaused(aiohttp_server):
    seen = []

    async def page(request):
        seen.append((request.path, asyncio.get_running_loop().time()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{n}", page)
    server = await aiohttp_server(app)

    class Pausing(ascrapy.Spider):
        name = "pausing"

        async def start(self):
            yield ascrapy.Request(str(server.make_url("/first")), callback=self.first)

        def first(self, response):
            self.crawler.engine.pause()
            assert self.crawler.engine.paused
            asyncio.get_running_loop().call_later(0.3, self.crawler.engine.unpause)
            yield ascrapy.Request(str(server.make_url("/second")), callback=self.second)

        def second(self, response):
            return None

    await crawl(Pausing)
    assert [path for path, _ in seen] == ["/first", "/second"]
    assert seen[1][1] - seen[0][1] >= 0.25


async def test_per_item_lines_follow_the_log_formatter_and_the_level(caplog):
    import logging

    from ascrapy.logformatter import LogFormatter

    class Loud(LogFormatter):
        def scraped(self, item, response, spider=None):
            return {"level": logging.INFO, "msg": "kept %(item)s", "args": {"item": item}}

    class One(ascrapy.Spider):
        name = "one"

        async def start(self):
            yield {"n": 1}

    with caplog.at_level(logging.INFO):
        await crawl(One, {"LOG_FORMATTER": Loud})
        await crawl(One)
    assert "kept {'n': 1}" in caplog.text  # a formatter's own level is honoured
    assert "Scraped from" not in caplog.text  # the default DEBUG line is skipped at INFO
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        await crawl(One)
    assert "Scraped from None" in caplog.text
