"""scrapy_redis.connection: scrapy-redis's names, from ascrapy.redis."""

from ascrapy.redis.blocking import SETTINGS_PARAMS_MAP, from_settings, get_redis, get_redis_from_settings
