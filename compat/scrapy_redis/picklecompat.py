"""scrapy_redis.picklecompat (SCHEDULER_SERIALIZER): pickle's loads and dumps."""

from pickle import dumps, loads
