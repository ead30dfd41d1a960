"""scrapy_redis.pipelines: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.pipelines import RedisPipeline, default_serialize
