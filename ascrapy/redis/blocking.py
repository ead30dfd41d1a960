"""Blocking redis-py clients from scrapy-redis's settings, for code outside the crawl's event
loop: a script that pushes start URLs, a project that calls scrapy-redis's ``get_redis``.

The crawl's own components use redis-py's asyncio client (ascrapy.redis.connection).
"""

from __future__ import annotations

from typing import Any

import redis

from ascrapy.redis import defaults
from ascrapy.utils.misc import load_object

REDIS_CLS = redis.StrictRedis

# scrapy-redis's shortcut settings -> the client's keyword arguments
SETTINGS_PARAMS_MAP = {
    "REDIS_URL": "url",
    "REDIS_HOST": "host",
    "REDIS_PORT": "port",
    "REDIS_DB": "db",
    "REDIS_ENCODING": "encoding",
    "REDIS_DECODE_RESPONSES": "decode_responses",
}


def get_redis(**kwargs: Any) -> redis.Redis:
    """A client of ``redis_cls`` (default redis.StrictRedis), from ``url`` when given."""
    redis_cls = kwargs.pop("redis_cls", REDIS_CLS)
    url = kwargs.pop("url", None)
    return redis_cls.from_url(url, **kwargs) if url else redis_cls(**kwargs)


def get_redis_from_settings(settings: Any) -> redis.Redis:
    """A client for REDIS_URL (or REDIS_HOST, REDIS_PORT, REDIS_DB) with scrapy-redis's
    default parameters, updated by REDIS_PARAMS (``redis_cls`` may be a class path)."""
    params: dict[str, Any] = {**defaults.REDIS_PARAMS, **settings.getdict("REDIS_PARAMS")}
    for setting, param in SETTINGS_PARAMS_MAP.items():
        value = settings.get(setting)
        if value:
            params[param] = value
    if isinstance(params.get("redis_cls"), str):
        params["redis_cls"] = load_object(params["redis_cls"])
    return get_redis(**params)


from_settings = get_redis_from_settings
