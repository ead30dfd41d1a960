"""The Redis connection of a crawl, from scrapy-redis's settings, on redis-py's asyncio client.

REDIS_URL (or REDIS_HOST, REDIS_PORT, REDIS_DB), REDIS_PARAMS for the client's keyword
arguments (socket_timeout, password, ...). hiredis is used when installed (redis-py does).
Errors name the server by its URL without the password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from redis.asyncio import Redis

DEFAULT_URL = "redis://127.0.0.1:6379/0"
_DEFAULT_PARAMS = {"socket_timeout": 30, "socket_connect_timeout": 10, "retry_on_timeout": True}


class RedisUnavailableError(ConnectionError):
    """Redis cannot be reached (at start, or for longer than the crawl waits for it)."""


def redis_url(settings: Any) -> str:
    url = settings.get("REDIS_URL")
    if url:
        return str(url)
    host = settings.get("REDIS_HOST") or "127.0.0.1"
    port = settings.get("REDIS_PORT") or 6379
    db = settings.get("REDIS_DB") or 0
    return f"redis://{host}:{port}/{db}"


def masked(url: str) -> str:
    """``url`` without its password, to put in logs and errors."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def client_from_settings(settings: Any) -> Redis:
    """A redis.asyncio client (bytes in, bytes out) for the crawl's settings."""
    try:
        from redis.asyncio import Redis
    except ImportError:
        raise RuntimeError("the Redis frontier needs redis-py: pip install 'ascrapy[redis]'") from None
    params: dict[str, Any] = {**_DEFAULT_PARAMS, **settings.getdict("REDIS_PARAMS")}
    for key in ("encoding", "decode_responses", "redis_cls", "url"):  # scrapy-redis's; not ours to pass
        params.pop(key, None)
    return Redis.from_url(redis_url(settings), **params)
