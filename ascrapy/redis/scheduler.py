"""The Redis frontier (SCHEDULER = "ascrapy.redis.Scheduler"): many workers, one crawl.

Every worker of a spider shares one queue, one duplicate filter and the leases in Redis
(scrapy-redis's keys: see ascrapy.redis.scripts). A worker takes requests a batch at a
time, each under a lease that it renews while the request is in flight; it keeps them in
its own slot queues, so its downloads still pass the slots' gates. When the engine
acknowledges a request (its items have landed in every batch sink, engine.acks), one
script removes its lease and stores the requests its page found, dedupe checks included;
requests pushed outside any page (start requests) go in batches of their own.

A worker that dies leaves leases that expire (REDIS_LEASE_SECONDS); the next take of any
worker puts those requests back in the queue: nothing is lost, and only the work in flight
is done twice. A worker finishes when its own work is done and Redis holds no queued
request and no lease: another worker may still find new pages until then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ascrapy.engine.acks import current_request
from ascrapy.engine.frontier import Frontier
from ascrapy.engine.lineage import Lineage, LineageUnsupported
from ascrapy.engine.politeness import Politeness
from ascrapy.engine.queue_order import QueueOrder
from ascrapy.redis.codec import PickledDataError, RequestCodec, UnserializableRequest
from ascrapy.redis import defaults
from ascrapy.redis.connection import (
    RedisUnavailableError,
    client_from_settings,
    masked,
    redis_url,
)
from ascrapy.redis.dupefilter import RFPDupeFilter
from ascrapy.redis.link import Keys, Push, RedisLink
from ascrapy.redis.queue import queue_kind
from ascrapy.redis.shared_slots import RedisSharedSlots
from ascrapy.utils.memo import ClearingMemo
from ascrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy_redis.scheduler")

SENT_FINGERPRINTS_KEPT = 1 << 16  # about 6 MB when full; forgetting only costs a round trip
IDLE_POLL_SECONDS = 0.2  # how often a worker with nothing to do asks whether others are done


class _AcceptAll:
    """The local filter of the core: the shared one runs in Redis, at push time."""

    def request_seen(self, request: Request) -> bool:
        return False

    def log(self, request: Request, spider: Spider | None) -> None:
        pass


class Scheduler(Frontier):
    """A frontier whose queue, duplicate filter and leases are in Redis (module docstring)."""

    follows_lineage = False  # what this worker pushes, another one may take and acknowledge

    def __init__(self, crawler: CrawlerProtocol, dupefilter: RFPDupeFilter, politeness: Politeness | None = None) -> None:
        settings = crawler.settings
        kind = queue_kind(settings.get("SCHEDULER_QUEUE_CLASS"))
        super().__init__(crawler, _AcceptAll(), order=QueueOrder(lifo=kind == "lifo"), politeness=politeness)
        self.redis_dupefilter = dupefilter
        self.url = redis_url(settings)
        self.kind = kind
        self.persist = settings.getbool("SCHEDULER_PERSIST")
        self.flush_on_start = settings.getbool("SCHEDULER_FLUSH_ON_START")
        self.queue_key_template = settings.get("SCHEDULER_QUEUE_KEY") or defaults.SCHEDULER_QUEUE_KEY
        self.lease_seconds = settings.getfloat("REDIS_LEASE_SECONDS", 60.0)
        self.reconnect_timeout = settings.getfloat("REDIS_RECONNECT_TIMEOUT", 60.0)
        self.idle_before_close = settings.getfloat("SCHEDULER_IDLE_BEFORE_CLOSE", 0.0)
        self._window = 2 * max(settings.getint("CONCURRENT_REQUESTS"), 1)
        self.client = client_from_settings(settings)
        self.codec: RequestCodec | None = None
        self.link: RedisLink | None = None
        self._members: dict[Request, bytes] = {}  # taken from Redis, not acknowledged yet
        self._children: dict[Request, list[Push]] = {}  # what each such page found
        # Fingerprints this worker sent to Redis's filter, which only grows during a crawl: a
        # link met again is dropped here, not encoded and sent (most links of a page are seen).
        self._sent: ClearingMemo[bytes, None] = ClearingMemo(SENT_FINGERPRINTS_KEPT)
        self._idle_since: float | None = None
        self._warned_unserializable = False
        self.failure: BaseException | None = None
        self.shared_slots: RedisSharedSlots | None = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, order: QueueOrder | None = None,
                     politeness: Politeness | None = None) -> Scheduler:
        dupefilter_class = load_object(crawler.settings.get("DUPEFILTER_CLASS"))
        if not issubclass(dupefilter_class, RFPDupeFilter):
            dupefilter_class = RFPDupeFilter  # Scrapy's filter keeps nothing in Redis
        return cls(crawler, build_from_crawler(dupefilter_class, crawler), politeness)

    # -- opening and closing ----------------------------------------------------------------

    def open(self, spider: Spider) -> Awaitable[None]:  # type: ignore[override]
        super().open(spider)
        return self._open(spider)

    async def _open(self, spider: Spider) -> None:
        from redis.exceptions import RedisError

        try:
            await self.client.ping()
        except (RedisError, OSError) as error:
            raise RedisUnavailableError(f"Redis is unreachable at {masked(self.url)}: {error}") from error
        keys = Keys(self.queue_key_template % {"spider": spider.name}, self.redis_dupefilter.key_for(spider))
        self.codec = RequestCodec.from_settings(self.crawler.settings, spider)
        self.link = RedisLink(
            self.client, self.url, keys, self.kind, self.redis_dupefilter.dedupe,
            lease_seconds=self.lease_seconds, reconnect_timeout=self.reconnect_timeout, stats=self.stats,
            on_taken=self._taken, on_lost=self._lost,
        )
        if self.crawler.settings.getbool("REDIS_SHARED_SLOTS"):
            token_ms = int(1000 * (self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + self.lease_seconds))
            self.shared_slots = RedisSharedSlots(self.client, keys.queue, token_ms, self.stats)
            self.politeness.shared = self.shared_slots
        if self.flush_on_start:
            await self.client.delete(keys.queue, keys.dupefilter, keys.leases, keys.leased)
        await self.redis_dupefilter.prepare(self.client, keys.dupefilter)
        queued, leased = await self.link.counts()
        if queued or leased:
            logger.info("Resuming crawl (%(queued)d requests scheduled, %(leased)d leased by workers)",
                        {"queued": queued, "leased": leased}, extra={"spider": spider})
        self.link.start()

    def close(self, reason: str) -> Awaitable[None]:  # type: ignore[override]
        return self._close(reason)

    async def _close(self, reason: str) -> None:
        unstarted = [self._members.pop(request) for request in self._queued_here() if request in self._members]
        super().close(reason)
        link = self.link
        if link is None:
            await self.client.aclose()
            return
        try:
            if self.shared_slots is not None:
                await self.shared_slots.close()
            if self.failure is None:
                await link.close(unstarted)
                if not self.persist:
                    queued, leased = await link.counts()
                    if not queued and not leased:  # the crawl is over for every worker
                        keys = link.keys
                        await self.client.delete(keys.queue, keys.dupefilter, keys.leases, keys.leased)
        finally:
            await self.client.aclose()

    def _queued_here(self) -> list[Request]:
        return [request for slot in self.slots.values() for request in slot.queued()]

    # -- the engine's surface -------------------------------------------------------------

    def push(self, request: Request) -> bool:
        """Send ``request`` to the shared queue (with its page's acknowledgement when it
        comes from a page); never blocks. Duplicates are dropped in Redis, or here when this
        worker sent the same fingerprint before.

        Dropping here loses nothing: the earlier copy is in Redis, or travels with the
        acknowledgement of the page that found it, which is crawled again if that fails."""
        codec, link = self.codec, self.link
        if codec is None or link is None:
            raise RuntimeError("the Redis scheduler is not open")
        if request.dont_filter:
            marker = ""
        else:
            dupefilter = self.redis_dupefilter
            fingerprint = dupefilter.fingerprinter.fingerprint(request)
            if fingerprint in self._sent:
                dupefilter.log(request, self.spider)
                return False
            self._sent.keep(fingerprint, None)
            marker = dupefilter.marker_of(fingerprint)
        try:
            member = codec.dumps(request)
        except (UnserializableRequest, ValueError, TypeError) as error:
            return self._keep_here(request, error)
        push = (marker, -request.priority, member)
        parent = current_request.get()
        children = self._children.get(parent) if parent is not None else None
        if children is not None:
            children.append(push)
        else:
            link.push(*push)
        return True

    def follow(self, lineage: Lineage) -> None:
        raise LineageUnsupported(
            "the Redis frontier shares requests between workers, so the requests a page leads to "
            "may be crawled by another worker: their lineage cannot be followed from here"
        )

    def _keep_here(self, request: Request, error: Exception) -> bool:
        """A request that cannot be shared is crawled by this worker (not kept across a crash)."""
        self.stats.inc_value("scheduler/unserializable")
        if not self._warned_unserializable:
            self._warned_unserializable = True
            logger.warning("Unable to share request %(request)s through Redis - reason: %(reason)s - it is "
                           "crawled by this worker only (no more such requests will be logged)",
                           {"request": request, "reason": error}, extra={"spider": self.spider})
        self._queued += 1
        self._pending += 1
        self._place(request, self.politeness.slot(self.politeness.slot_key(request)))
        return True

    def ack(self, request: Request) -> None:
        member = self._members.pop(request, None)
        children = self._children.pop(request, [])
        super().ack(request)
        if self.link is not None and (member is not None or children):
            self.link.ack(member, children)

    @property
    def queued(self) -> int:
        return self._queued

    async def pull(self) -> Request | None:
        loop = self._loop or asyncio.get_running_loop()
        link = self.link
        assert link is not None
        while True:
            if self._closed or self.failure is not None:
                return None
            if self._queued < self._window // 2 and not self.paused:
                link.want(self._window - self._queued)
            request = None if self.paused else self._pop_ready()
            if request is not None:
                return request
            if self._pending == 0 and self._holds == 0 and not self.paused:
                await link.drained()  # our acknowledgements and pushes are in Redis
                if self._pending or self._holds or self._queued or self.failure is not None:
                    continue
                try:
                    queued, leased = await link.counts()
                except Exception as error:  # Redis away for longer than the crawl waits
                    self._lost(error)
                    continue
                if not queued:
                    # Idle here, as scrapy-redis's spider_idle: a RedisSpider reads more start
                    # URLs now, even while other workers still finish their pages.
                    keep_open = self.on_idle is not None and await self.on_idle()
                    if self._pending or self._holds or self._closed or self._queued or link.sending:
                        continue
                    if not keep_open and self._everyone_done(queued, leased):
                        return None
                else:
                    self._idle_since = None
                wait = IDLE_POLL_SECONDS
            else:
                wait = None
                if self.on_empty is not None:
                    self.on_empty()
            self._waiter = waiter = loop.create_future()
            timer = loop.call_later(wait, self._wake) if wait is not None else None
            try:
                await waiter
            finally:
                self._waiter = None
                if timer is not None:
                    timer.cancel()

    def _everyone_done(self, queued: int, leased: int) -> bool:
        """Whether Redis has held no queued request and no lease (the crawl is over for
        every worker) for SCHEDULER_IDLE_BEFORE_CLOSE seconds."""
        if queued or leased:
            self._idle_since = None
            return False
        loop = self._loop or asyncio.get_running_loop()
        since = self._idle_since
        if since is None:
            since = self._idle_since = loop.time()
        return loop.time() - since >= self.idle_before_close

    # -- what the link reports --------------------------------------------------------------

    def _taken(self, members: list[bytes]) -> None:
        codec = self.codec
        assert codec is not None and self.link is not None
        if self._closed:  # taken while the crawl was stopping: for the other workers
            self.link.give_back(members)
            return
        for index, member in enumerate(members):
            try:
                request = codec.loads(member)
            except PickledDataError as error:
                self.link.give_back(members[index:])  # nothing is dropped: back for a worker that can read it
                self._lost(error)
                return
            except Exception as error:
                logger.error("Could not restore a request from Redis (%(error)s): %(member)r",
                             {"error": error, "member": member[:200]}, extra={"spider": self.spider})
                self.stats.inc_value("scheduler/unloadable")
                self.link.ack(member, [])
                continue
            self._members[request] = member
            self._children[request] = []
            self._queued += 1
            self._pending += 1
            self.stats.inc_value("scheduler/dequeued/redis")
            self._place(request, self.politeness.slot(self.politeness.slot_key(request)))
        if members:
            self._wake()

    def _lost(self, error: BaseException) -> None:
        """Redis is gone for good (or holds what cannot be read): stop the crawl."""
        if self.failure is not None:
            return
        self.failure = error
        logger.error("The Redis frontier stops the crawl: %(error)s", {"error": error},
                     extra={"spider": self.spider})
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and self.spider is not None:
            engine.close_spider(self.spider, "redis_error")
        self.stop()

    def _count_dequeued(self) -> None:
        """Counted as scheduler/dequeued/redis when taken from Redis."""
