"""RedisSpider and RedisCrawlSpider against a real redis-server: start URLs from a list, a set
and a sorted set, JSON entries with meta and form data, entries pushed while the crawl runs,
and MAX_IDLE_TIME_BEFORE_CLOSE."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid

import pytest
import redis
from aiohttp import web

from ascrapy import signals
from ascrapy.crawler import Crawler
from ascrapy.linkextractors import LinkExtractor
from ascrapy.redis import RedisCrawlSpider, RedisSpider
from ascrapy.settings import Settings
from ascrapy.spiders import Rule

from .crawl_helpers import TEST_SETTINGS

GUARD_SECONDS = 60  # against a hang: every crawl here ends by itself well before


def make_site() -> web.Application:
    """/page/N: a page with its number and a link to N+1 (up to 5); /echo: the request."""

    async def page(request: web.Request) -> web.Response:
        number = int(request.match_info["n"])
        link = f'<a href="/page/{number + 1}">next</a>' if number < 5 else ""
        return web.Response(text=f"<html><title>{number}</title><body>{link}</body></html>",
                            content_type="text/html")

    async def echo(request: web.Request) -> web.Response:
        body = await request.text()
        return web.json_response({"method": request.method, "query": request.query_string, "body": body})

    app = web.Application()
    app.router.add_get("/page/{n}", page)
    app.router.add_route("*", "/echo", echo)
    return app


class Pages(RedisSpider):
    name = "pages"

    def parse(self, response):
        yield {"url": response.url, "job": response.meta.get("job")}


def own_key() -> str:
    return f"{uuid.uuid4().hex[:8]}:start_urls"


def settings_for(redis_url: str, key: str, **more) -> dict:
    return {"REDIS_URL": redis_url, "REDIS_START_URLS_KEY": key, "MAX_IDLE_TIME_BEFORE_CLOSE": 1, **more}


async def run(spidercls: type, settings: dict) -> tuple[Crawler, list]:
    """Crawl to the end (guarded against hangs); the crawler and its items."""
    crawler = Crawler(spidercls, Settings({**TEST_SETTINGS, **settings}))
    items: list = []
    crawler.signals.connect(lambda item: items.append(item), signal=signals.item_scraped)
    await asyncio.wait_for(crawler.crawl(), GUARD_SECONDS)
    return crawler, items


async def test_start_urls_from_a_list_in_batches_json_and_plain(aiohttp_server, redis_url, caplog):
    caplog.set_level(logging.INFO)
    server = await aiohttp_server(make_site())
    key = own_key()
    client = redis.Redis.from_url(redis_url)
    for n in range(4):
        client.rpush(key, json.dumps({"url": str(server.make_url(f"/page/{n}")), "meta": {"job": f"j{n}"}}))
    client.rpush(key, str(server.make_url("/page/4")), str(server.make_url("/page/5")))  # plain URLs, deprecated
    crawler, items = await run(Pages, settings_for(redis_url, key, REDIS_START_URLS_BATCH_SIZE=2))
    assert sorted(item["url"].rsplit("/", 1)[1] for item in items) == ["0", "1", "2", "3", "4", "5"]
    assert {item["job"] for item in items} == {"j0", "j1", "j2", "j3", None}
    assert crawler.stats.get_value("redis/start_urls") == 6
    assert crawler.stats.get_value("finish_reason") == "finished"
    assert client.llen(key) == 0
    assert caplog.text.count("Start URLs as plain text are deprecated") == 1
    assert f"Reading start URLs from redis key '{key}' (batch size: 2, encoding: utf-8)" in caplog.text


async def test_start_urls_from_a_set_under_the_redis_scheduler(aiohttp_server, redis_url):
    server = await aiohttp_server(make_site())
    key = own_key()
    client = redis.Redis.from_url(redis_url)
    client.sadd(key, *[json.dumps({"url": str(server.make_url(f"/page/{n}"))}) for n in range(5)])
    prefix = uuid.uuid4().hex[:8]
    crawler, items = await run(Pages, settings_for(
        redis_url, key, REDIS_START_URLS_AS_SET=True, REDIS_START_URLS_BATCH_SIZE=2,
        SCHEDULER="ascrapy.redis.Scheduler", SCHEDULER_QUEUE_KEY=f"{prefix}:%(spider)s:requests",
        SCHEDULER_DUPEFILTER_KEY=f"{prefix}:%(spider)s:dupefilter"))
    assert sorted(item["url"].rsplit("/", 1)[1] for item in items) == ["0", "1", "2", "3", "4"]
    assert crawler.stats.get_value("scheduler/dequeued/redis") == 5
    assert client.scard(key) == 0


async def test_start_urls_from_a_sorted_set_highest_score_first(aiohttp_server, redis_url):
    server = await aiohttp_server(make_site())
    key = own_key()
    client = redis.Redis.from_url(redis_url)
    client.zadd(key, {json.dumps({"url": str(server.make_url(f"/page/{n}"))}): n for n in range(4)})
    crawler, items = await run(Pages, settings_for(redis_url, key, REDIS_START_URLS_AS_ZSET=True,
                                                   REDIS_START_URLS_BATCH_SIZE=1, CONCURRENT_REQUESTS=1))
    assert [item["url"].rsplit("/", 1)[1] for item in items] == ["3", "2", "1", "0"]
    assert client.zcard(key) == 0


async def test_json_entries_give_method_meta_and_form_data(aiohttp_server, redis_url):
    server = await aiohttp_server(make_site())
    key = own_key()
    seen = []

    class Echo(RedisSpider):
        name = "echo"

        def parse(self, response):
            seen.append((json.loads(response.text), response.meta.get("job-id")))

    client = redis.Redis.from_url(redis_url)
    url = str(server.make_url("/echo"))
    client.rpush(key, json.dumps({"url": url, "method": "post", "meta": {"job-id": "123"}, "cookie_key": "x y"}),
                 json.dumps({"url": url, "page": "2"}), json.dumps({"no-url": 1}))
    await run(Echo, settings_for(redis_url, key))
    assert sorted(seen, key=lambda pair: pair[0]["method"]) == [
        ({"method": "GET", "query": "page=2", "body": ""}, None),
        ({"method": "POST", "query": "", "body": "cookie_key=x+y"}, "123"),
    ]


async def test_an_idle_spider_reads_urls_pushed_while_it_runs_until_stopped(aiohttp_server, redis_url):
    server = await aiohttp_server(make_site())
    key = own_key()
    client = redis.Redis.from_url(redis_url)
    crawler = Crawler(Pages, Settings({**TEST_SETTINGS, **settings_for(redis_url, key, MAX_IDLE_TIME_BEFORE_CLOSE=0)}))
    scraped: asyncio.Queue = asyncio.Queue()
    idle = asyncio.Event()
    crawler.signals.connect(lambda item: scraped.put_nowait(item["url"]), signal=signals.item_scraped)
    crawler.signals.connect(idle.set, signal=signals.spider_idle)
    crawling = asyncio.ensure_future(crawler.crawl())
    try:
        await asyncio.wait_for(idle.wait(), GUARD_SECONDS)  # started with nothing to read: idle, yet open
        client.rpush(key, json.dumps({"url": str(server.make_url("/page/1"))}))
        idle.clear()
        assert (await asyncio.wait_for(scraped.get(), GUARD_SECONDS)).endswith("/page/1")
        await asyncio.wait_for(idle.wait(), GUARD_SECONDS)  # idle again, and still open
        assert not crawling.done()
    finally:
        await crawler.stop_async()
        await asyncio.wait_for(crawling, GUARD_SECONDS)
    assert crawler.stats.get_value("finish_reason") == "shutdown"


async def test_max_idle_time_before_close_ends_an_idle_crawl(redis_url, caplog):
    caplog.set_level(logging.INFO)
    crawler, items = await run(Pages, settings_for(redis_url, own_key(), MAX_IDLE_TIME_BEFORE_CLOSE=1))
    assert items == []
    assert crawler.stats.get_value("finish_reason") == "finished"
    assert "Spider closed (finished)" in caplog.text


async def test_a_redis_crawl_spider_follows_its_rules(aiohttp_server, redis_url):
    server = await aiohttp_server(make_site())
    key = own_key()

    class Follow(RedisCrawlSpider):
        name = "follow"
        rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

        def parse_page(self, response):
            yield {"url": response.url}

    redis.Redis.from_url(redis_url).rpush(key, json.dumps({"url": str(server.make_url("/page/3"))}))
    _, items = await run(Follow, settings_for(redis_url, key))
    assert sorted(item["url"].rsplit("/", 1)[1] for item in items) == ["4", "5"]


async def test_a_batch_read_as_the_spider_closes_goes_back_to_the_list(redis_url):
    key = own_key()
    client = redis.Redis.from_url(redis_url)
    client.rpush(key, b"a", b"b", b"c")
    crawler = Crawler(Pages, Settings({**TEST_SETTINGS, **settings_for(redis_url, key)}))
    spider = Pages.from_crawler(crawler)
    taken = await spider.fetch_data(key, 2)
    assert taken == [b"a", b"b"] and client.lrange(key, 0, -1) == [b"c"]
    await spider._give_back(taken)
    assert client.lrange(key, 0, -1) == [b"a", b"b", b"c"]
    await spider.server.aclose()


@pytest.mark.parametrize("value", ["x", -1])
def test_bad_batch_sizes_are_refused(value):
    crawler = Crawler(Pages, Settings({**TEST_SETTINGS, "REDIS_START_URLS_BATCH_SIZE": value}))
    with pytest.raises(ValueError, match="redis_batch_size"):
        Pages.from_crawler(crawler)


async def test_a_spider_with_its_own_start_requests_starts_with_them(aiohttp_server, redis_url):
    server = await aiohttp_server(make_site())
    key = own_key()

    class Own(Pages):
        name = "own"

        def start_requests(self):
            yield self.make_request_from_data(json.dumps({"url": str(server.make_url("/page/0"))}).encode())

    redis.Redis.from_url(redis_url).rpush(key, json.dumps({"url": str(server.make_url("/page/1"))}))
    _, items = await run(Own, settings_for(redis_url, key))
    assert sorted(item["url"].rsplit("/", 1)[1] for item in items) == ["0", "1"]


async def test_an_idle_worker_reads_more_start_urls_while_another_finishes_its_pages(aiohttp_server, redis_url):
    """As with scrapy-redis: a worker with nothing to do is idle (and its RedisSpider reads
    the start key) even while another worker still holds requests under lease."""
    release_slow = asyncio.Event()
    slow_started = asyncio.Event()
    app = make_site()

    async def slow(request: web.Request) -> web.Response:
        slow_started.set()
        await release_slow.wait()
        return web.Response(text="<html><title>slow</title></html>", content_type="text/html")

    app.router.add_get("/slow", slow)
    server = await aiohttp_server(app)
    key, prefix = own_key(), uuid.uuid4().hex[:8]
    client = redis.Redis.from_url(redis_url)
    settings = settings_for(
        redis_url, key, SCHEDULER="ascrapy.redis.Scheduler", SCHEDULER_QUEUE_KEY=f"{prefix}:%(spider)s:requests",
        SCHEDULER_DUPEFILTER_KEY=f"{prefix}:%(spider)s:dupefilter",
    )
    client.rpush(key, json.dumps({"url": str(server.make_url("/slow"))}))
    busy = asyncio.ensure_future(run(Pages, settings))
    await asyncio.wait_for(slow_started.wait(), GUARD_SECONDS)

    idle_worker = Crawler(Pages, Settings({**TEST_SETTINGS, **settings}))
    went_idle, crawled = asyncio.Event(), asyncio.Event()
    idle_worker.signals.connect(lambda: went_idle.set(), signal=signals.spider_idle)
    idle_worker.signals.connect(lambda item: crawled.set(), signal=signals.item_scraped)
    idle = asyncio.ensure_future(idle_worker.crawl())
    try:
        await asyncio.wait_for(went_idle.wait(), GUARD_SECONDS)
        client.rpush(key, json.dumps({"url": str(server.make_url("/page/5"))}))
        await asyncio.wait_for(crawled.wait(), GUARD_SECONDS)
        assert not release_slow.is_set()  # the other worker still holds /slow
    finally:
        release_slow.set()
    _, busy_items = await asyncio.wait_for(busy, GUARD_SECONDS)
    await asyncio.wait_for(idle, GUARD_SECONDS)
    assert [item["url"].rsplit("/", 1)[1] for item in busy_items] == ["slow"]
    assert idle_worker.stats.get_value("item_scraped_count") == 1
