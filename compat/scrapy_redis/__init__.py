"""scrapy_redis: scrapy-redis's names, from ascrapy.redis (by hand; see ascrapy.redis.plugin)."""

from ascrapy.redis.blocking import get_redis, get_redis_from_settings
