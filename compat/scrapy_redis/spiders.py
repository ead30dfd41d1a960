"""scrapy_redis.spiders: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.spiders import RedisCrawlSpider, RedisMixin, RedisSpider
