"""RedisSpider and RedisCrawlSpider: spiders fed with start URLs through Redis, as
scrapy-redis's RedisMixin feeds them, on redis-py's asyncio client.

Producers push entries to the spider's key (``redis_key``, else REDIS_START_URLS_KEY,
default ``<name>:start_urls``): a list by default, a set with REDIS_START_URLS_AS_SET, a
sorted set (highest score first) with REDIS_START_URLS_AS_ZSET. An entry is a JSON object,
``{"url": ..., "meta": {...}, "method": "POST", ...}`` whose other keys are form data, or
(deprecated in scrapy-redis) a plain URL. Each worker takes ``redis_batch_size`` entries
(else REDIS_START_URLS_BATCH_SIZE, else CONCURRENT_REQUESTS) when it starts and again each
time it is idle: taking a batch at a time is what shares the entries among workers.

While the key is empty the spider stays open (spider_idle raises DontCloseSpider) and looks
again at each idle signal, so it consumes the key like a stream. MAX_IDLE_TIME_BEFORE_CLOSE
(or ``max_idle_time``) = N > 0 closes it once it has been idle N seconds with nothing to
read; 0, the default, never does.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from ascrapy import signals
from ascrapy.engine.acks import current_request
from ascrapy.exceptions import DontCloseSpider
from ascrapy.http import FormRequest, Request
from ascrapy.redis import defaults
from ascrapy.redis.connection import client_from_settings
from ascrapy.spiders import CrawlSpider, Spider

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy_redis.spiders")

Fetch = Callable[[str, int], Awaitable[list[bytes]]]
Count = Callable[[str], Awaitable[int]]
MadeRequests = Request | Iterable[Request] | None


class RedisMixin:
    """Reads start requests from Redis (see the module docstring); mixed into a Spider."""

    redis_key: str | None = None
    redis_batch_size: int | None = None
    redis_encoding: str | None = None
    max_idle_time: float | None = None
    server: Redis | None = None  # redis.asyncio: ``await self.server.lpush(...)`` in callbacks

    name: str
    crawler: CrawlerProtocol
    fetch_data: Fetch
    count_size: Count

    _fetch: asyncio.Task[None] | None = None
    _idle_since: float | None = None  # when the spider went idle with nothing to read
    _wake: asyncio.TimerHandle | None = None
    _warned_plain = False
    _taken_scores: dict[bytes, float] | None = None  # a sorted set's entries being scheduled

    def setup_redis(self, crawler: CrawlerProtocol | None = None) -> None:
        """Read the settings, make the client, connect to spider_idle; from_crawler calls it."""
        if self.server is not None:
            return
        crawler = crawler if crawler is not None else getattr(self, "crawler", None)
        if crawler is None:
            raise ValueError("crawler is required")
        settings = crawler.settings
        key = self.redis_key if self.redis_key is not None else settings.get(
            "REDIS_START_URLS_KEY", defaults.START_URLS_KEY)
        self.redis_key = str(key) % {"name": self.name}
        if not self.redis_key.strip():
            raise ValueError("redis_key must not be empty")
        batch_size: Any = self.redis_batch_size
        if batch_size is None:
            batch_size = settings.get("REDIS_START_URLS_BATCH_SIZE") or settings.getint(
                "CONCURRENT_REQUESTS", defaults.REDIS_CONCURRENT_REQUESTS)
        try:
            self.redis_batch_size = int(batch_size)
        except (TypeError, ValueError):
            raise ValueError("redis_batch_size must be an integer") from None
        if self.redis_batch_size < 1:
            raise ValueError("redis_batch_size must be at least 1")
        if self.redis_encoding is None:
            self.redis_encoding = settings.get("REDIS_ENCODING", defaults.REDIS_ENCODING)
        max_idle: Any = self.max_idle_time
        if max_idle is None:
            max_idle = settings.get("MAX_IDLE_TIME_BEFORE_CLOSE", defaults.MAX_IDLE_TIME)
        try:
            self.max_idle_time = float(max_idle)
        except (TypeError, ValueError):
            raise ValueError("max_idle_time must be a number") from None

        self.server = server = client_from_settings(settings)
        if settings.getbool("REDIS_START_URLS_AS_SET", defaults.START_URLS_AS_SET):
            self.fetch_data, self.count_size = self.pop_set, server.scard
        elif settings.getbool("REDIS_START_URLS_AS_ZSET", defaults.START_URLS_AS_ZSET):
            self.fetch_data, self.count_size = self.pop_priority_queue, server.zcard
        else:
            self.fetch_data, self.count_size = self.pop_list_queue, server.llen
        logger.info(
            "Reading start URLs from redis key '%(redis_key)s' (batch size: %(redis_batch_size)s, "
            "encoding: %(redis_encoding)s)",
            {"redis_key": self.redis_key, "redis_batch_size": self.redis_batch_size,
             "redis_encoding": self.redis_encoding}, extra={"spider": self},
        )
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self._close_redis, signal=signals.spider_closed)

    # -- taking a batch -----------------------------------------------------------------

    def _client(self) -> Redis:
        if self.server is None:
            raise RuntimeError("setup_redis() has not been called")
        return self.server

    async def pop_list_queue(self, redis_key: str, batch_size: int) -> list[bytes]:
        """The first ``batch_size`` entries of a list, removed in the same transaction."""
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.lrange(redis_key, 0, batch_size - 1)
            pipe.ltrim(redis_key, batch_size, -1)
            entries, _ = await pipe.execute()
        return list(entries)

    async def pop_priority_queue(self, redis_key: str, batch_size: int) -> list[bytes]:
        """The ``batch_size`` highest-scored entries of a sorted set, removed in the same
        transaction (their scores are kept until they are scheduled, to give them back)."""
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zrevrange(redis_key, 0, batch_size - 1, withscores=True)
            pipe.zremrangebyrank(redis_key, -batch_size, -1)
            scored, _ = await pipe.execute()
        self._taken_scores = {member: score for member, score in scored}
        return [member for member, _ in scored]

    async def pop_set(self, redis_key: str, batch_size: int) -> list[bytes]:
        """Up to ``batch_size`` entries of a set, in no order."""
        popped = await self._client().spop(redis_key, batch_size)
        return list(cast("list[bytes]", popped or []))

    async def next_requests(self) -> list[Request]:
        """The requests made from the next batch of entries (empty when the key is)."""
        return self._requests_from(await self.fetch_data(self._key(), self._batch_size()))

    def _requests_from(self, entries: list[bytes]) -> list[Request]:
        if entries:
            self.crawler.stats.inc_value("redis/start_urls", len(entries))
        requests: list[Request] = []
        for entry in entries:
            try:
                made = self.make_request_from_data(entry)
            except Exception:
                logger.error("Could not make a request from Redis data %(data)r", {"data": entry[:200]},
                             exc_info=True, extra={"spider": self})
                continue
            if isinstance(made, Request):
                requests.append(made)
            elif made:
                requests.extend(made)
            else:
                logger.debug("Request not made from data: %(data)r", {"data": entry[:200]}, extra={"spider": self})
        if requests:
            logger.debug("Read %(count)d requests from '%(key)s'", {"count": len(requests), "key": self.redis_key},
                         extra={"spider": self})
        return requests

    def make_request_from_data(self, data: bytes | str) -> MadeRequests:
        """The request for one entry of the key; override it for entries of your own format.

        A JSON object gives ``FormRequest(url, method=method, meta=meta, formdata=<the other
        keys>, dont_filter=True)`` (method GET unless given; form data goes to the query of a
        GET and the body of a POST); an object without "url" gives no request; anything else
        is taken as a plain URL.
        """
        text = bytes_to_str(data, self.redis_encoding or defaults.REDIS_ENCODING)
        parameters = _json_object(text)
        if parameters is None:
            if not self._warned_plain:
                self._warned_plain = True
                logger.warning(
                    "Start URLs as plain text are deprecated (as in scrapy-redis): push JSON objects such as "
                    '{"url": "https://example.com"} to %(key)s (further plain entries are not reported)',
                    {"key": self.redis_key}, extra={"spider": self},
                )
            return FormRequest(text.strip(), dont_filter=True)
        url = parameters.pop("url", None)
        if url is None:
            logger.warning("The data from Redis has no url key: %(data)r", {"data": text[:200]},
                           extra={"spider": self})
            return []
        method = str(parameters.pop("method", None) or "GET").upper()
        meta = parameters.pop("meta", None) or {}
        return FormRequest(url, dont_filter=True, method=method, formdata=parameters, meta=meta)

    # -- start and idle -----------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """The first batch from Redis. A spider that defines its own start_requests() starts
        with those instead, and takes its first batch when it is idle."""
        if type(self).start_requests is not RedisMixin.start_requests:
            for element in self.start_requests():
                yield element
            return
        for request in await self._read_batch():
            yield request

    def start_requests(self) -> Iterable[Any]:
        """Nothing: the batches come from start() and spider_idle."""
        return ()

    def spider_idle(self) -> None:
        """Take the next batch (in the background) and keep the spider open, unless it has
        been idle ``max_idle_time`` seconds with nothing to read (then it may close)."""
        now = asyncio.get_running_loop().time()
        if self._idle_since is None:
            self._idle_since = now
        if self._fetch is not None and not self._fetch.done():
            raise DontCloseSpider
        max_idle = self.max_idle_time or 0
        if max_idle > 0 and now - self._idle_since >= max_idle:
            return
        self.schedule_next_requests()
        if max_idle > 0:
            self._look_again_at(self._idle_since + max_idle)
        raise DontCloseSpider

    def schedule_next_requests(self) -> None:
        """Take the next batch and schedule its requests, in the background (a callback may
        call this to take more before the spider is idle)."""
        if self._fetch is None or self._fetch.done():
            self._fetch = asyncio.get_running_loop().create_task(self._schedule_batch())

    async def _schedule_batch(self) -> None:
        current_request.set(None)  # these requests are nobody's children (this task's context only)
        engine = getattr(self.crawler, "engine", None)  # None before the crawl starts
        if engine is None or engine.spider is None or engine.close_reason is not None:
            return
        entries = await self._take()
        if engine.spider is None or engine.close_reason is not None:
            await self._give_back(entries)
            return
        for request in self._requests_from(entries):
            engine.crawl(request)
        if not entries and self.max_idle_time and self._idle_since is not None:
            self._look_again_at(self._idle_since + self.max_idle_time)  # it may be time to close

    async def _read_batch(self) -> list[Request]:
        return self._requests_from(await self._take())

    async def _take(self) -> list[bytes]:
        """The next batch of entries; a Redis failure is logged and gives none (the next idle
        signal tries again)."""
        from redis.exceptions import RedisError

        try:
            entries = await self.fetch_data(self._key(), self._batch_size())
        except (RedisError, OSError) as error:
            logger.error("Could not read start URLs from redis key '%(key)s': %(error)s",
                         {"key": self.redis_key, "error": error}, extra={"spider": self})
            return []
        if entries:
            self._idle_since = None
        return entries

    async def _give_back(self, entries: list[bytes]) -> None:
        """The spider began closing while a batch was read: its entries go back to the key,
        for another worker or the next run."""
        if not entries:
            return
        from redis.exceptions import RedisError

        client, key = self._client(), self._key()
        try:
            if self.fetch_data == self.pop_list_queue:
                await client.lpush(key, *reversed(entries))
            elif self.fetch_data == self.pop_set:
                await client.sadd(key, *entries)
            elif self.fetch_data == self.pop_priority_queue:
                scores = self._taken_scores or {}
                await client.zadd(key, {entry: scores.get(entry, 0.0) for entry in entries})
            else:
                raise TypeError(f"fetch_data is {self.fetch_data!r}, unknown to RedisMixin")
        except (RedisError, OSError, TypeError) as error:
            logger.error("%(count)d start URLs taken from '%(key)s' could not be given back: %(error)s",
                         {"count": len(entries), "key": key, "error": error}, extra={"spider": self})
            return
        logger.info("The spider is closing: %(count)d start URLs went back to '%(key)s'",
                    {"count": len(entries), "key": key}, extra={"spider": self})

    def _look_again_at(self, deadline: float) -> None:
        """Send spider_idle again at ``deadline`` (the engine's heartbeat may be later)."""
        loop = asyncio.get_running_loop()
        if self._wake is not None:
            self._wake.cancel()
        self._wake = loop.call_at(deadline, self._nudge)

    def _nudge(self) -> None:
        self._wake = None
        engine = getattr(self.crawler, "engine", None)  # None before the crawl starts
        frontier = getattr(engine, "frontier", None) if engine is not None else None
        nudge = getattr(frontier, "nudge", None)
        if nudge is not None:
            nudge()

    async def _close_redis(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        if self._fetch is not None and not self._fetch.done():
            await asyncio.wait([self._fetch])
        if self.server is not None:
            await self.server.aclose()

    def _key(self) -> str:
        if self.redis_key is None:
            raise RuntimeError("setup_redis() has not been called")
        return self.redis_key

    def _batch_size(self) -> int:
        return self.redis_batch_size or defaults.REDIS_CONCURRENT_REQUESTS


def bytes_to_str(data: bytes | str, encoding: str = defaults.REDIS_ENCODING) -> str:
    """An entry of the key as text (scrapy-redis's helper, which overrides of
    make_request_from_data call)."""
    return data.decode(encoding) if isinstance(data, bytes) else data


def _json_object(text: str) -> dict[str, Any] | None:
    """``text`` as a JSON object, or None when it is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class RedisSpider(RedisMixin, Spider):
    """A Spider whose start URLs come from Redis (see ascrapy.redis.spiders)."""

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> RedisSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, cls)
        spider.setup_redis(crawler)
        return spider


class RedisCrawlSpider(RedisMixin, CrawlSpider):
    """A CrawlSpider whose start URLs come from Redis (see ascrapy.redis.spiders)."""

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> RedisCrawlSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, cls)
        spider.setup_redis(crawler)
        return spider
