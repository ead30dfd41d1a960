"""scrapy_redis.utils: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.spiders import bytes_to_str
