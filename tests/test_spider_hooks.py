"""Per-object spider middlewares run as one loop: same output and error routing as a chain."""

from __future__ import annotations

import pytest

import ascrapy
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request, Response
from ascrapy.middleware.spider.base import BaseSpiderMiddleware
from ascrapy.middleware.spider_hooks import AsyncTail, ObjectHooks, is_per_object
from ascrapy.middleware.spidermw import SpiderMiddlewareManager

from tests.crawl_helpers import crawl


class DropOdd(BaseSpiderMiddleware):
    def get_processed_item(self, item, response):
        return None if item["n"] % 2 else item


class Tag(BaseSpiderMiddleware):
    def get_processed_item(self, item, response):
        item.setdefault("tags", []).append(type(self).__name__)
        return item


class Boom(BaseSpiderMiddleware):
    def get_processed_item(self, item, response):
        if item["n"] == 4:
            raise ValueError("boom")
        return item


class Recover:
    """Not per-object: handles the error with items of its own, which continue down the chain."""

    def process_spider_exception(self, response, exception):
        if isinstance(exception, ValueError):
            return [{"n": 100, "recovered": True}]
        return None


def test_only_overridden_hooks_are_called():
    hooks = ObjectHooks([(0, DropOdd(None)), (1, Tag(None))])
    assert is_per_object(DropOdd(None)) and not is_per_object(Recover())
    assert [index for index, _ in hooks.items] == [0, 1]
    assert hooks.requests == []  # neither overrides get_processed_request


def make_spider(server_url, results, asynchronous):
    class Numbers(ascrapy.Spider):
        name = "numbers"
        start_urls = [server_url]

        def parse(self, response):
            for n in range(7):
                yield {"n": n}

        async def parse_async(self, response):
            for n in range(7):
                yield {"n": n}

    if asynchronous:
        Numbers.parse = Numbers.parse_async

    class Collect:
        def process_item(self, item):
            results.append(item)
            return item

    return Numbers, Collect


async def _run(aiohttp_server, asynchronous, middlewares):
    from aiohttp import web

    async def page(request):
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", page)
    server = await aiohttp_server(app)
    results = []
    spider, collect = make_spider(str(server.make_url("/")), results, asynchronous)
    crawler = await crawl(spider, {"SPIDER_MIDDLEWARES": middlewares, "ITEM_PIPELINES": {collect: 1}})
    return results, crawler


async def test_sync_and_async_callbacks_give_the_same_items(aiohttp_server):
    middlewares = {DropOdd: 950, Tag: 960}
    sync_items, _ = await _run(aiohttp_server, False, middlewares)
    async_items, _ = await _run(aiohttp_server, True, middlewares)
    assert sync_items == async_items == [{"n": n, "tags": ["Tag"]} for n in (0, 2, 4, 6)]


async def test_a_hook_error_goes_to_the_handlers_after_it(aiohttp_server):
    # Output order (closest to the spider first): Boom (970) raises at n == 4; Recover (940)
    # comes after it in the output chain, so it handles the error; Tag (930) tags what passes.
    middlewares = {Recover: 940, Boom: 970, Tag: 930}
    for asynchronous in (False, True):
        items, crawler = await _run(aiohttp_server, asynchronous, middlewares)
        assert [item["n"] for item in items] == [0, 1, 2, 3, 100]
        assert items[-1] == {"n": 100, "recovered": True, "tags": ["Tag"]}
        assert crawler.stats.get_value("spider_exceptions/ValueError") is None


# -- the manager's routing, without a crawl ------------------------------------------------


class _Crawler:
    spider = None


class Raises(BaseSpiderMiddleware):
    def get_processed_item(self, item, response):
        if item["n"] == 1:
            raise ValueError("raised")
        return item


class HandlesInLayer(BaseSpiderMiddleware):
    """Per-object too, so the handler sits inside the same ObjectHooks layer."""

    def process_spider_exception(self, response, exception):
        return [{"n": 99}]


class Starts(BaseSpiderMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.started = []

    def start_output(self, response):
        self.started.append(response)

    def get_processed_item(self, item, response):
        return {**item, "seen_by_starts": True}


async def _scrape(manager, output, asynchronous):
    async def agen():
        for obj in output:
            yield obj

    async def scrape_func(response, request):
        return agen() if asynchronous else list(output)

    request = Request("data:,")
    response = Response("data:,", request=request)
    result = await manager.scrape_response(scrape_func, response, request)
    collected = []
    if hasattr(result, "__aiter__"):
        return response, [obj async for obj in result]
    for obj in result:
        if type(obj) is AsyncTail:
            collected.extend([tail async for tail in obj.iterable])
        else:
            collected.append(obj)
    return response, collected


async def test_recovery_inside_a_layer_runs_only_the_later_hooks_and_their_start():
    for asynchronous in (False, True):
        starts = Starts(None)
        # Output chain order: Raises, HandlesInLayer, Starts (the reverse of settings order).
        manager = SpiderMiddlewareManager(starts, HandlesInLayer(None), Raises(None), crawler=_Crawler())
        response, output = await _scrape(manager, [{"n": 0}, {"n": 1}, {"n": 2}], asynchronous)
        # The raising layer ends at n == 1; the handler's output passes Starts only, last.
        assert output == [{"n": 0, "seen_by_starts": True}, {"n": 99, "seen_by_starts": True}]
        # Starts.process_spider_output runs for the callback output and again for the
        # recovered output, as in Scrapy.
        assert starts.started == [response, response]


async def test_unhandled_output_error_reaches_the_consumer_once():
    seen = []

    class Passes:
        def process_spider_exception(self, response, exception):
            seen.append(str(exception))

    for asynchronous in (False, True):
        seen.clear()
        manager = SpiderMiddlewareManager(Passes(), Raises(None), crawler=_Crawler())
        with pytest.raises(ValueError, match="^raised$"):
            await _scrape(manager, [{"n": 0}, {"n": 1}], asynchronous)
        assert seen == ["raised"]


async def test_old_style_sync_output_gets_the_spider_and_warns_at_load():
    crawler = _Crawler()
    crawler.spider = object()
    spiders = []

    class OldStyle:
        def process_spider_output(self, response, result, spider):
            spiders.append(spider)
            for obj in result:
                yield {**obj, "old": True}

    with pytest.warns(ScrapyDeprecationWarning, match=r"OldStyle\.process_spider_output\(\) requires a spider"):
        manager = SpiderMiddlewareManager(OldStyle(), crawler=crawler)
    _, output = await _scrape(manager, [{"n": 0}], asynchronous=True)
    assert output == [{"n": 0, "old": True}]
    assert spiders == [crawler.spider]


async def test_scrape_response_async_always_gives_an_async_iterator_with_its_recovery():
    """Scrapy's API: the fast synchronous path of the scraper stays inside the manager."""
    manager = SpiderMiddlewareManager(Starts(None), HandlesInLayer(None), Raises(None), crawler=_Crawler())

    async def scrape_func(response, request):
        return [{"n": 0}, {"n": 1}]

    request = Request("data:,")
    result = await manager.scrape_response_async(scrape_func, Response("data:,", request=request), request)
    assert hasattr(result, "__anext__")
    assert [obj async for obj in result] == [{"n": 0, "seen_by_starts": True}, {"n": 99, "seen_by_starts": True}]


async def test_a_middleware_added_after_the_manager_is_built_takes_part():
    manager = SpiderMiddlewareManager(Tag(None), crawler=_Crawler())
    manager._add_middleware(HandlesInLayer(None))
    manager._add_middleware(Raises(None))  # the output chain: Raises, HandlesInLayer, Tag
    for asynchronous in (False, True):
        _, output = await _scrape(manager, [{"n": 0}, {"n": 1}], asynchronous)
        assert output == [{"n": 0, "tags": ["Tag"]}, {"n": 99, "tags": ["Tag"]}]


async def test_scrape_response_async_needs_a_crawler():
    with pytest.warns(ScrapyDeprecationWarning):
        manager = SpiderMiddlewareManager()
    with pytest.raises(RuntimeError, match="created without a crawler"):
        await manager.scrape_response_async(None, None, None)
