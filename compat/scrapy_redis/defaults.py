"""scrapy_redis.defaults: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.blocking import REDIS_CLS
from ascrapy.redis.defaults import (
    DUPEFILTER_KEY,
    MAX_IDLE_TIME,
    PIPELINE_KEY,
    REDIS_CONCURRENT_REQUESTS,
    REDIS_ENCODING,
    REDIS_PARAMS,
    SCHEDULER_DUPEFILTER_CLASS,
    SCHEDULER_DUPEFILTER_KEY,
    SCHEDULER_PERSIST,
    SCHEDULER_QUEUE_CLASS,
    SCHEDULER_QUEUE_KEY,
    START_URLS_AS_SET,
    START_URLS_AS_ZSET,
    START_URLS_KEY,
    STATS_KEY,
)
