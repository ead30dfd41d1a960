"""RedisStatsCollector (STATS_CLASS): the stats of every worker of a spider in one Redis hash.

The crawl changes its stats many times per page, so a change is applied locally at once and
queued for Redis; the queue (one entry per stats key, consecutive changes of a key merged)
is sent every REDIS_STATS_INTERVAL seconds (default 1) and when the spider closes, in one
script call that applies it inside Redis: increments add, max/min compare, set overwrites.
Two workers of one spider, at the same time or one after the other, thus add up.

A failed send is kept and tried again with the next one (logged once per outage): stats
never stop the crawl.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.redis import defaults
from ascrapy.redis.connection import client_from_settings
from ascrapy.stats import StatsCollector

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy_redis.stats")

DEFAULT_INTERVAL = 1.0
WORKERS_TTL = 600  # seconds: the worker count of crashed workers goes away after this

# KEYS: the hash, the worker count. ARGV: mode ("open", "", "close"), persist ("1"/"0"),
# then (op, field, value, start) fours: "=" set, "i"/"f" integer/float increment (from
# start when the field is new), ">" / "<" max / min (a set when either side is no number).
_APPLY = """
local stats, workers = KEYS[1], KEYS[2]
for i = 3, #ARGV, 4 do
  local op, field, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if op == '=' then
    redis.call('HSET', stats, field, value)
  elseif op == 'i' or op == 'f' then
    if redis.call('HEXISTS', stats, field) == 0 then
      redis.call('HSET', stats, field, ARGV[i + 3])
    end
    local done = op == 'i' and redis.pcall('HINCRBY', stats, field, value)
    if not done or (type(done) == 'table' and done.err) then
      redis.pcall('HINCRBYFLOAT', stats, field, value)
    end
  else
    local current = tonumber(redis.call('HGET', stats, field))
    local given = tonumber(value)
    if current == nil or given == nil or (op == '>' and given > current) or (op == '<' and given < current) then
      redis.call('HSET', stats, field, value)
    end
  end
end
local mode = ARGV[1]
if mode == 'open' then
  redis.call('INCR', workers)
elseif mode == 'close' then
  if redis.call('DECR', workers) <= 0 then
    redis.call('DEL', workers)
    if ARGV[2] == '0' then
      redis.call('DEL', stats)
      return 1
    end
    return 0
  end
end
if redis.call('EXISTS', workers) == 1 then
  redis.call('EXPIRE', workers, %d)
end
return 0
""" % WORKERS_TTL

Op = list[Any]  # [kind, value] or ["+", count, start]


class RedisStatsCollector(StatsCollector):
    """Stats kept in Redis for the whole crawl: every worker of a spider adds its own to one
    hash, STATS_KEY (default ``<spider>:stats``), in batches (see the module docstring).

    ``get_value`` and ``get_stats`` return this worker's stats, as Scrapy's collector does:
    what this process counted, with their Python types (the stats dump at the end shows
    them too). The hash holds the whole crawl's, as strings (datetimes as timestamps, as in
    scrapy-redis): ``await collector.crawl_stats()`` reads it. With SCHEDULER_PERSIST the
    hash stays after the crawl; otherwise the last worker to close deletes it (scrapy-redis
    has each worker delete it when it closes, losing what the others still add). A worker
    count kept next to the hash (``<key>:workers``) says which worker is the last.
    """

    def __init__(self, crawler: CrawlerProtocol, spider: Any = None) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.server: Redis = client_from_settings(settings)
        self.stats_key_template = settings.get("STATS_KEY", defaults.STATS_KEY)
        self.persist = settings.getbool("SCHEDULER_PERSIST", defaults.SCHEDULER_PERSIST)
        self.interval = settings.getfloat("REDIS_STATS_INTERVAL", DEFAULT_INTERVAL)
        name = getattr(spider, "name", None) or getattr(crawler.spidercls, "name", None) or "scrapy"
        self.stats_key = self.stats_key_template % {"spider": name}
        self.round_trips = 0  # script calls sent: a crawl's thousands of changes take a few
        self._pending: dict[str, list[Op]] = {}
        self._opened = False
        self._failing = False
        self._sender: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._script = self.server.register_script(_APPLY)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> RedisStatsCollector:
        return cls(crawler)

    @classmethod
    def from_spider(cls, spider: Any) -> RedisStatsCollector:
        return cls(spider.crawler, spider)

    # -- changes: applied here, queued for Redis -----------------------------------------

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        super().set_value(key, value, spider)
        self._pending[key] = [["=", value]]

    def set_stats(self, stats: dict[str, Any], spider: Any = None) -> None:
        super().set_stats(stats, spider)
        for key, value in stats.items():
            self._pending[key] = [["=", value]]

    def inc_value(self, key: str, count: int | float = 1, start: int | float = 0, spider: Any = None) -> None:
        super().inc_value(key, count, start, spider)
        ops = self._pending.get(key)
        if ops is None:
            self._pending[key] = [["+", count, start]]
            return
        last = ops[-1]
        if last[0] == "+":
            last[1] += count
        elif last[0] == "=":
            last[1] = self._stats[key]
        else:
            ops.append(["+", count, start])

    def max_value(self, key: str, value: Any, spider: Any = None) -> None:
        super().max_value(key, value, spider)
        self._queue_bound(key, ">", value)

    def min_value(self, key: str, value: Any, spider: Any = None) -> None:
        super().min_value(key, value, spider)
        self._queue_bound(key, "<", value)

    def _queue_bound(self, key: str, kind: str, value: Any) -> None:
        ops = self._pending.get(key)
        if ops is None:
            self._pending[key] = [[kind, value]]
            return
        last = ops[-1]
        if last[0] == kind:
            last[1] = max(last[1], value) if kind == ">" else min(last[1], value)
        elif last[0] == "=":
            last[1] = self._stats[key]
        else:
            ops.append([kind, value])

    def clear_stats(self, spider: Any = None) -> None:
        """Clear this worker's stats; the hash, which other workers share, is left alone."""
        super().clear_stats(spider)
        self._pending.clear()

    # -- the crawl's life ----------------------------------------------------------------

    def open_spider(self, spider: Any = None) -> None:
        super().open_spider(spider)
        spider = spider if spider is not None else getattr(self._crawler, "spider", None)
        if spider is not None and getattr(spider, "name", None):
            self.stats_key = self.stats_key_template % {"spider": spider.name}
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no crawl running: the stats stay local
        self._sender = loop.create_task(self._send_every(self.interval))
        self._crawler.signals.connect(self._closed, signal=signals.engine_stopped)

    def close_spider(self, spider: Any = None, reason: str | None = None) -> asyncio.Task[None] | None:
        """Close as every collector does; the last send to Redis is a task, which the engine
        awaits (and engine_stopped too, for a caller that did not)."""
        super().close_spider(spider, reason)
        sender = self._sender
        if sender is None or self._closing is not None:
            return self._closing
        self._stopping.set()
        self._closing = asyncio.get_running_loop().create_task(self._close(sender))
        return self._closing

    async def _closed(self) -> None:
        """engine_stopped: the last send is done."""
        if self._closing is not None:
            await asyncio.shield(self._closing)

    async def _send_every(self, interval: float) -> None:
        """Send the queued changes every ``interval`` seconds until the spider closes (a send
        is never cancelled midway: its changes would be lost)."""
        while not self._stopping.is_set():
            await self._send()
            try:
                await asyncio.wait_for(self._stopping.wait(), interval)
            except TimeoutError:
                pass

    async def _close(self, sender: asyncio.Task[None]) -> None:
        await asyncio.gather(sender, return_exceptions=True)
        try:
            if not self._opened:
                await self._send()  # registers this worker, if Redis answers now
            if self._opened:
                await self._send(final=True)
        finally:
            await self.server.aclose()

    async def _send(self, final: bool = False) -> None:
        """Apply the queued changes in Redis; the first send registers this worker, the
        final one unregisters it (and the last worker out deletes an unpersisted hash)."""
        mode = "close" if final else "" if self._opened else "open"
        pending, self._pending = self._pending, {}
        if not pending and not mode:
            return
        args: list[str | bytes] = [mode, "1" if self.persist else "0"]
        for key, ops in pending.items():
            for op in ops:
                args += _encoded(key, op)
        self.round_trips += 1
        try:
            deleted = await self._script(keys=[self.stats_key, f"{self.stats_key}:workers"], args=args)
        except Exception as error:  # Redis unreachable, or a bug: never the crawl's problem
            for key, ops in self._pending.items():  # changes made meanwhile go after the unsent ones
                pending.setdefault(key, []).extend(ops)
            self._pending = pending
            if not self._failing:
                self._failing = True
                logger.warning("Could not send stats to Redis (%(key)s): %(error)r; trying again",
                               {"key": self.stats_key, "error": error})
            return
        if self._failing:
            self._failing = False
            logger.info("Stats reach Redis again (%(key)s)", {"key": self.stats_key})
        if mode == "open":
            self._opened = True
        elif mode == "close" and deleted:
            logger.debug("Deleted the crawl's stats %(key)s (SCHEDULER_PERSIST is off)", {"key": self.stats_key})

    async def crawl_stats(self) -> dict[str, str]:
        """The hash: every worker's stats of this spider combined, as Redis holds them."""
        raw = await self.server.hgetall(self.stats_key)
        return {_text(field): _text(value) for field, value in raw.items()}


def _encoded(key: str, op: Op) -> list[str | bytes]:
    kind = op[0]
    if kind == "+":
        count, start = op[1], op[2]
        integral = isinstance(count, int) and isinstance(start, int)
        return ["i" if integral else "f", key, _redis_value(count), _redis_value(start)]
    return [kind, key, _redis_value(op[1]), ""]


def _redis_value(value: Any) -> str | bytes:
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return repr(value.timestamp())
    return str(value)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
