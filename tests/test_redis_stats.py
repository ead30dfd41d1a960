"""RedisStatsCollector against a real redis-server: two crawls of one spider add up in one
hash, sent in a few round trips; each crawler still reads its own stats; without
SCHEDULER_PERSIST the last worker to close deletes the hash."""

from __future__ import annotations

import asyncio
import uuid

import redis

import ascrapy

from .crawl_helpers import crawl
from .sites import make_pages_site

GUARD_SECONDS = 60
ITEMS_PER_PAGE = 40



class Counting(ascrapy.Spider):
    name = "counting"

    def parse(self, response):
        number = int(response.url.rsplit("/", 1)[1])
        stats = self.crawler.stats
        stats.max_value("test/highest_page", number)
        stats.min_value("test/lowest_page", number)
        stats.inc_value("test/half", 0.5)
        for index in range(ITEMS_PER_PAGE):
            yield {"page": number, "index": index}


def stats_settings(redis_url: str, **more) -> dict:
    return {"STATS_CLASS": "ascrapy.redis.RedisStatsCollector", "REDIS_URL": redis_url,
            "STATS_KEY": f"{uuid.uuid4().hex[:8]}:%(spider)s:stats", **more}


async def test_two_crawls_of_one_spider_add_up_in_the_hash(aiohttp_server, redis_url):
    server = await aiohttp_server(make_pages_site())
    settings = stats_settings(redis_url, SCHEDULER_PERSIST=True, REDIS_STATS_INTERVAL=3600)
    first, second = await asyncio.wait_for(asyncio.gather(
        crawl(Counting, settings, start_urls=[str(server.make_url(f"/page/{n}")) for n in (3, 4)]),
        crawl(Counting, settings, start_urls=[str(server.make_url(f"/page/{n}")) for n in (1, 7, 9)]),
    ), GUARD_SECONDS)
    assert first.stats.get_value("item_scraped_count") == 2 * ITEMS_PER_PAGE  # each its own, locally
    assert second.stats.get_value("item_scraped_count") == 3 * ITEMS_PER_PAGE
    assert second.stats.get_value("test/highest_page") == 9 and first.stats.get_value("test/lowest_page") == 3
    key = settings["STATS_KEY"] % {"spider": "counting"}
    shared = {field.decode(): value.decode() for field, value in redis.Redis.from_url(redis_url).hgetall(key).items()}
    assert int(shared["item_scraped_count"]) == 5 * ITEMS_PER_PAGE
    assert int(shared["response_received_count"]) == 5
    assert (shared["test/highest_page"], shared["test/lowest_page"], float(shared["test/half"])) == ("9", "1", 2.5)
    assert float(shared["start_time"]) > 0  # datetimes as timestamps, as scrapy-redis stores them
    assert first.stats.round_trips == second.stats.round_trips == 2  # at open and at close, not one per change
    assert not redis.Redis.from_url(redis_url).exists(f"{key}:workers")


async def test_without_persist_the_last_worker_to_close_deletes_the_hash(aiohttp_server, redis_url):
    server = await aiohttp_server(make_pages_site())
    settings = stats_settings(redis_url, SCHEDULER_PERSIST=False, REDIS_STATS_INTERVAL=0.05)
    key = settings["STATS_KEY"] % {"spider": "counting"}
    client = redis.Redis.from_url(redis_url)
    release = asyncio.Event()
    scraped = asyncio.Event()

    class Slow(Counting):
        async def start(self):
            await release.wait()
            yield ascrapy.Request(str(server.make_url("/page/2")))

        def parse(self, response):
            yield from super().parse(response)
            scraped.set()

    slow = asyncio.ensure_future(crawl(Slow, settings))
    try:
        quick = await asyncio.wait_for(crawl(Counting, settings, start_urls=[str(server.make_url("/page/1"))]),
                                       GUARD_SECONDS)
        assert quick.stats.get_value("finish_reason") == "finished"
        assert int(client.hget(key, "item_scraped_count")) == ITEMS_PER_PAGE  # the slow one is still open
    finally:
        release.set()
        await asyncio.wait_for(slow, GUARD_SECONDS)
    assert scraped.is_set()
    assert not client.exists(key) and not client.exists(f"{key}:workers")
