"""scrapy_redis.stats: scrapy-redis's names, from ascrapy.redis (STATS_CLASS)."""

from ascrapy.redis.stats import RedisStatsCollector
