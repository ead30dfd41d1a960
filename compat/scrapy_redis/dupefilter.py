"""scrapy_redis.dupefilter: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.dupefilter import RFPDupeFilter
