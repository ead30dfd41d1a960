"""scrapy-redis's default keys and settings, in one place.

The Redis components of ascrapy read them, and compat's ``scrapy_redis.defaults`` exposes
them under scrapy-redis's names. Keys are %-templates: ``%(spider)s`` (or ``%(name)s`` for
the start URLs) is the spider's name.
"""

from __future__ import annotations

from typing import Any

REDIS_ENCODING = "utf-8"
REDIS_CONCURRENT_REQUESTS = 16  # the start URL batch size when CONCURRENT_REQUESTS is unset
REDIS_PARAMS: dict[str, Any] = {
    "socket_timeout": 30,
    "socket_connect_timeout": 30,
    "retry_on_timeout": True,
    "encoding": REDIS_ENCODING,
}

START_URLS_KEY = "%(name)s:start_urls"
START_URLS_AS_SET = False
START_URLS_AS_ZSET = False
MAX_IDLE_TIME = 0  # seconds an idle RedisSpider waits for start URLs before closing; 0: forever

PIPELINE_KEY = "%(spider)s:items"
STATS_KEY = "%(spider)s:stats"

SCHEDULER_QUEUE_KEY = "%(spider)s:requests"
SCHEDULER_QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"
SCHEDULER_DUPEFILTER_KEY = "%(spider)s:dupefilter"
SCHEDULER_DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
SCHEDULER_PERSIST = False
DUPEFILTER_KEY = "dupefilter:%(timestamp)s"  # a filter used outside a crawl
