"""RedisPipeline against a real redis-server: every item once, a batch per round trip, item_key
and REDIS_ITEMS_SERIALIZER honoured, an item that cannot be serialized dead-lettered alone."""

from __future__ import annotations

import json
import uuid

import redis

import ascrapy
from ascrapy.redis import RedisPipeline

from .crawl_helpers import crawl
from .sites import make_pages_site

ITEMS_PER_PAGE = 30
PAGES = 3



class Many(ascrapy.Spider):
    name = "many"

    def parse(self, response):
        page = response.url.rsplit("/", 1)[1]
        for number in range(ITEMS_PER_PAGE):
            yield {"id": f"{page}-{number}", "even": number % 2 == 0}


def serialize_upper(item) -> str:
    """A REDIS_ITEMS_SERIALIZER of the test's own."""
    return json.dumps(dict(item)).upper()


class ByParity(RedisPipeline):
    def item_key(self, item, spider):
        return f"{self.key % {'spider': spider.name}}:{'even' if item['even'] else 'odd'}"


async def crawl_into_redis(server, redis_url: str, tmp_path, pipeline: str, **more):
    key = f"{uuid.uuid4().hex[:8]}:%(spider)s:items"
    settings = {"REDIS_URL": redis_url, "REDIS_ITEMS_KEY": key, "ITEM_PIPELINES": {pipeline: 300},
                "ITEM_BATCH_SIZE": 20, "DEAD_LETTER_PATH": str(tmp_path / "dead-%(name)s.jsonl"), **more}
    urls = [str(server.make_url(f"/page/{n}")) for n in range(PAGES)]
    crawler = await crawl(Many, settings, start_urls=urls)
    return crawler, key % {"spider": "many"}


async def test_every_item_lands_once_in_batches(aiohttp_server, redis_url, tmp_path):
    server = await aiohttp_server(make_pages_site())
    crawler, key = await crawl_into_redis(server, redis_url, tmp_path, "ascrapy.redis.RedisPipeline")
    stored = [json.loads(data) for data in redis.Redis.from_url(redis_url).lrange(key, 0, -1)]
    assert sorted(item["id"] for item in stored) == sorted(
        f"{page}-{number}" for page in range(PAGES) for number in range(ITEMS_PER_PAGE))
    batches = crawler.stats.get_value("batch/RedisPipeline/batches")
    assert batches < len(stored) / 5  # one round trip per batch, not per item
    assert crawler.stats.get_value("batch/RedisPipeline/items") == len(stored)


async def test_item_key_and_the_serializer_setting_are_honoured(aiohttp_server, redis_url, tmp_path):
    server = await aiohttp_server(make_pages_site())
    _, key = await crawl_into_redis(server, redis_url, tmp_path, f"{__name__}.ByParity",
                                    REDIS_ITEMS_SERIALIZER=f"{__name__}.serialize_upper")
    client = redis.Redis.from_url(redis_url)
    even, odd = client.lrange(f"{key}:even", 0, -1), client.lrange(f"{key}:odd", 0, -1)
    assert len(even) == len(odd) == PAGES * ITEMS_PER_PAGE // 2
    assert all(b'"EVEN": TRUE' in data for data in even) and all(b'"EVEN": FALSE' in data for data in odd)
    assert not client.exists(key)


async def test_an_item_that_cannot_be_serialized_is_dead_lettered_alone(aiohttp_server, redis_url, tmp_path):
    server = await aiohttp_server(make_pages_site())

    class Odd(ascrapy.Spider):
        name = "odd"

        def parse(self, response):
            yield {"id": 1}
            yield {"id": 2, "thing": object()}

    key = f"{uuid.uuid4().hex[:8]}:items"
    crawler = await crawl(Odd, {"REDIS_URL": redis_url, "REDIS_ITEMS_KEY": key,
                                "ITEM_PIPELINES": {"ascrapy.redis.RedisPipeline": 300},
                                "DEAD_LETTER_PATH": str(tmp_path / "dead.jsonl")},
                          start_urls=[str(server.make_url("/page/0"))])
    assert [json.loads(data) for data in redis.Redis.from_url(redis_url).lrange(key, 0, -1)] == [{"id": 1}]
    assert crawler.stats.get_value("batch/RedisPipeline/dead_letter_count") == 1
    assert "cannot be serialized for Redis" in (tmp_path / "dead.jsonl").read_text()
