"""RedisPipeline: the crawl's items pushed to Redis lists, as scrapy-redis's pipeline does.

Each item is serialized (REDIS_ITEMS_SERIALIZER, a function item -> str or bytes, by default
the feed exporters' JSON: ScrapyJSONEncoder().encode) and RPUSHed to ``item_key(item,
spider)``, by default REDIS_ITEMS_KEY (``<spider>:items``). It is a batch pipeline: a batch
is one MULTI/EXEC round trip (one RPUSH per key), and it returns only once Redis holds the
batch, so the engine acknowledges a page only when its items are in Redis; a failed batch is
retried, then dead-lettered (ascrapy.pipelines.batch). An item that cannot be serialized is
dead-lettered alone. Batch size and timeout: ``batch_size`` / ``batch_timeout`` attributes,
else ITEM_BATCH_SIZE / ITEM_BATCH_TIMEOUT.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ascrapy.exporters.json_encoder import ScrapyJSONEncoder
from ascrapy.redis import defaults
from ascrapy.redis.connection import client_from_settings
from ascrapy.utils.misc import load_object

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy_redis.pipelines")

Serializer = Callable[[Any], str | bytes]

default_serialize: Serializer = ScrapyJSONEncoder().encode


class RedisPipeline:
    """Pushes serialized items to Redis lists, a batch per round trip (module docstring)."""

    batch_size: int | None = None
    batch_timeout: float | None = None

    def __init__(self, server: Redis, key: str = defaults.PIPELINE_KEY,
                 serialize_func: Serializer = default_serialize) -> None:
        self.server = server
        self.key = key
        self.serialize = serialize_func
        self.spider: Spider | None = None
        self.crawler: CrawlerProtocol | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> RedisPipeline:
        params: dict[str, Any] = {"server": client_from_settings(settings)}
        if settings.get("REDIS_ITEMS_KEY"):
            params["key"] = settings["REDIS_ITEMS_KEY"]
        if settings.get("REDIS_ITEMS_SERIALIZER"):
            params["serialize_func"] = load_object(settings["REDIS_ITEMS_SERIALIZER"])
        return cls(**params)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> RedisPipeline:
        pipeline = cls.from_settings(crawler.settings)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        self.spider = spider if spider is not None else getattr(self.crawler, "spider", None)

    async def close_spider(self, spider: Spider | None = None) -> None:
        await self.server.aclose()

    def item_key(self, item: Any, spider: Spider) -> str:
        """The list ``item`` goes to; override it to route items by their content."""
        return self.key % {"spider": spider.name}

    async def process_batch(self, items: list[Any]) -> list[tuple[Any, str]]:
        """Push ``items`` in one transaction; return those that could not be serialized."""
        spider = self.spider
        if spider is None:
            raise RuntimeError("RedisPipeline has no spider: open_spider() was not called")
        by_key: dict[str, list[str | bytes]] = {}
        rejected: list[tuple[Any, str]] = []
        for item in items:
            try:
                data = self.serialize(item)
            except Exception as error:
                rejected.append((item, f"cannot be serialized for Redis: {type(error).__name__}: {error}"))
                continue
            by_key.setdefault(self.item_key(item, spider), []).append(data)
        if by_key:
            async with self.server.pipeline(transaction=True) as pipe:
                for key, values in by_key.items():
                    pipe.rpush(key, *values)
                await pipe.execute()
        return rejected
