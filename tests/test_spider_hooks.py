"""Per-object spider middlewares run as one loop: same output and error routing as a chain."""

from __future__ import annotations

import ascrapy
from ascrapy.middleware.spider.base import BaseSpiderMiddleware
from ascrapy.middleware.spider_hooks import ObjectHooks, is_per_object

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
