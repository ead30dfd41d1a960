"""A distributed crawl on Redis, with scrapy-redis's keys and settings.

``SCHEDULER = "ascrapy.redis.Scheduler"`` and ``REDIS_URL`` make every worker of a spider
share one frontier in Redis (see ascrapy.redis.scheduler). RedisSpider and RedisCrawlSpider
read their start URLs from Redis, RedisPipeline pushes items to it, RedisStatsCollector sums
every worker's stats in it. The names load on first use, so that a crawl without Redis
never imports redis-py.
"""

from __future__ import annotations

from typing import Any

_NAMES = {
    "Scheduler": "ascrapy.redis.scheduler",
    "RFPDupeFilter": "ascrapy.redis.dupefilter",
    "BloomDupeFilter": "ascrapy.redis.dupefilter",
    "RedisMixin": "ascrapy.redis.spiders",
    "RedisSpider": "ascrapy.redis.spiders",
    "RedisCrawlSpider": "ascrapy.redis.spiders",
    "RedisPipeline": "ascrapy.redis.pipelines",
    "RedisStatsCollector": "ascrapy.redis.stats",
}

__all__ = ["BloomDupeFilter", "RFPDupeFilter", "RedisCrawlSpider", "RedisMixin", "RedisPipeline",
           "RedisSpider", "RedisStatsCollector", "Scheduler"]


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return list(__all__)
