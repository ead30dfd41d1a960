"""scrapy_redis.scheduler: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.scheduler import Scheduler
