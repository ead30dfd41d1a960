"""The frontier: every request the crawl still owes, in one place.

It dedupes (Scrapy's fingerprints), orders by priority (LIFO or FIFO within a priority, start
requests after others of the same priority, as Scrapy's scheduler), keeps one ready queue per
download slot with its concurrency and delay, and counts pending work: a request stays
pending from its push until the engine calls ``done`` after its callback has pushed its
children. At zero pending the crawl is finished (after the spider_idle check).

Pushing never blocks or awaits: that keeps the request feedback loop free of deadlock.
Exactly one consumer (the engine's dispatcher) awaits ``pull``.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ascrapy.engine.journal import FrontierJournal
from ascrapy.engine.slots import Slot, default_jitter, slot_jitter
from ascrapy.resolver import HostAddresses
from ascrapy.utils._fasturl import url_hostname
from ascrapy.utils.job import job_dir
from ascrapy.utils.misc import build_from_crawler, load_object

logger = logging.getLogger("scrapy.core.scheduler")


class Frontier:
    """The scheduler of the engine (SCHEDULER): dedupe, priorities, slots, pending count."""

    def __init__(self, crawler: Any, dupefilter: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.df = dupefilter
        self.spider: Any = None
        self.slots: dict[str, Slot] = {}
        per_ip = settings.getint("CONCURRENT_REQUESTS_PER_IP")
        self._addresses = HostAddresses(timeout=settings.getfloat("DNS_TIMEOUT", 60.0)) if per_ip else None
        self._slot_concurrency = per_ip or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.default_delay = settings.getfloat("DOWNLOAD_DELAY")  # AutoThrottle sets its start delay
        self._jitter = default_jitter(settings)
        self._slot_overrides: dict[str, dict[str, Any]] = settings.getdict("DOWNLOAD_SLOTS")
        self._lifo = "lifo" in str(settings.get("SCHEDULER_MEMORY_QUEUE")).lower()
        self._start_lifo = "lifo" in str(settings.get("SCHEDULER_START_MEMORY_QUEUE") or "").lower()
        self._ready: list[tuple[int, int, int, Slot]] = []
        self._seq = itertools.count()
        self._inflight: dict[int, Slot] = {}
        self._queued = 0
        self._pending = 0
        self._holds = 0
        self._closed = False
        self.paused = False
        self._waiter: asyncio.Future[None] | None = None
        self._room: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        jobdir = job_dir(settings)
        self._journal = FrontierJournal(jobdir) if jobdir else None
        self.on_idle: Callable[[], Awaitable[bool]] | None = None
        self.idle_recheck = 5.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Frontier:
        dupefilter = build_from_crawler(load_object(crawler.settings["DUPEFILTER_CLASS"]), crawler)
        return cls(crawler, dupefilter)

    # -- Scrapy's scheduler surface -------------------------------------------------------

    def open(self, spider: Any) -> None:
        self.spider = spider
        self._loop = asyncio.get_running_loop()
        opener = getattr(self.df, "open", None)
        if opener is not None:
            opener()
        if self._journal is not None:
            resumed = self._journal.replay(spider)
            for request in resumed:
                self._enqueue(request)
            if resumed:
                logger.info("Resuming crawl (%(queuesize)d requests scheduled)", {"queuesize": len(resumed)},
                            extra={"spider": spider})

    def close(self, reason: str) -> None:
        """Stop handing out requests; what is queued stays queued (and in JOBDIR backends)."""
        self._closed = True
        if self._room is not None and not self._room.done():
            self._room.set_result(None)
        if self._addresses is not None:
            self._addresses.close()
        for slot in self.slots.values():
            slot.close()
        if self._journal is not None:
            self._journal.close(self._queued_requests(), self.spider)
        closer = getattr(self.df, "close", None)
        if closer is not None:
            closer(reason)
        self._wake()

    def stop(self) -> None:
        """Make ``pull`` return None without closing the dupefilter (graceful shutdown)."""
        self._closed = True
        if self._room is not None and not self._room.done():
            self._room.set_result(None)
        self._wake()

    def has_pending_requests(self) -> bool:
        return self._queued > 0

    def __len__(self) -> int:
        return self._queued

    def enqueue_request(self, request: Any) -> bool:
        return self.push(request)

    def next_request(self) -> Any:
        return self._pop_ready()

    # -- the engine's surface -------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Requests pushed and not yet done, plus holds (e.g. start() still running)."""
        return self._pending + self._holds

    @property
    def queued(self) -> int:
        return self._queued

    @property
    def in_flight(self) -> int:
        return len(self._inflight)

    def slot_key(self, request: Any) -> str:
        meta = request._meta
        if meta:
            key = meta.get("download_slot")
            if key is not None:
                return key
        # Not urlparse_cached: its entry would live as long as the queued request.
        host = url_hostname(request.url)
        if self._addresses is not None:
            return self._addresses.address(host) or host
        return host

    def _get_slot(self, key: str) -> Slot:
        slot = self.slots.get(key)
        if slot is None:
            override = self._slot_overrides.get(key) or {}
            slot = Slot(
                int(override.get("concurrency", self._slot_concurrency)),
                float(override.get("delay", self.default_delay)),
                slot_jitter(override, self._jitter),
                key=key,
            )
            self.slots[key] = slot
        return slot

    def push(self, request: Any) -> bool:
        """Queue ``request`` unless it is a duplicate; never blocks."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self._enqueue(request)
        stats = self.stats
        if self._journal is not None and self._journal.pushed(request, self.spider, time.monotonic()):
            stats.inc_value("scheduler/enqueued/disk")
        else:
            if self._journal is not None:
                stats.inc_value("scheduler/unserializable")
            stats.inc_value("scheduler/enqueued/memory")
        stats.inc_value("scheduler/enqueued")
        return True

    def _enqueue(self, request: Any) -> None:
        meta = request._meta
        is_start = bool(meta and meta.get("is_start_request"))
        slot = self._get_slot(self.slot_key(request))
        slot.push(request, request.priority, is_start)
        self._queued += 1
        self._pending += 1
        self._refresh(slot)

    def _queued_requests(self) -> list[Any]:
        """Every request not finished (in flight after a forced stop, or queued), for the
        journal to keep."""
        return [
            request
            for slot in self.slots.values()
            for request in (*slot.active, *slot.queue)
        ]

    async def wait_for_room(self, limit: int) -> None:
        """Wait until fewer than ``limit`` requests are queued (lazy start() consumption)."""
        while self._queued >= limit and not self._closed:
            self._room = room = (self._loop or asyncio.get_running_loop()).create_future()
            try:
                await room
            finally:
                self._room = None

    def pause(self) -> None:
        """Hand out no request until ``unpause`` (in-flight ones finish; pushes still queue)."""
        self.paused = True

    def unpause(self) -> None:
        self.paused = False
        self._wake()

    def hold(self) -> None:
        """Keep the crawl from finishing while a producer (start()) may still push."""
        self._holds += 1

    def unhold(self) -> None:
        self._holds -= 1
        self._wake()

    def release(self, request: Any) -> None:
        """The download of ``request`` ended: free its slot for the next one."""
        slot = self._inflight.pop(id(request), None)
        if slot is not None:
            slot.active.discard(request)
            self._refresh(slot)

    def done(self, request: Any) -> None:
        """``request`` and its callback are finished; its children are already pushed."""
        self.release(request)
        if self._journal is not None:
            self._journal.done(request, time.monotonic())
        self._pending -= 1
        if self._pending == 0:
            self._wake()

    async def pull(self) -> Any:
        """The next ready request, waiting as needed; None when the crawl is over or stopped."""
        loop = self._loop or asyncio.get_running_loop()
        while True:
            if self._closed:
                return None
            request = None if self.paused else self._pop_ready()
            if request is not None:
                return request
            timeout = None
            if self._pending == 0 and self._holds == 0 and not self.paused:
                keep_open = self.on_idle is not None and await self.on_idle()
                if self._pending or self._holds or self._closed:
                    continue
                if not keep_open:
                    return None
                timeout = self.idle_recheck
            self._waiter = waiter = loop.create_future()
            try:
                if timeout is None:
                    await waiter
                else:
                    await asyncio.wait_for(waiter, timeout)
            except TimeoutError:
                pass
            finally:
                self._waiter = None

    # -- internals ------------------------------------------------------------------------

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _refresh(self, slot: Slot) -> None:
        """Give ``slot`` one valid entry in the ready heap if it can send now, or a timer."""
        if not slot.size or len(slot.active) >= slot.concurrency:
            if slot.entry_prio is not None:
                slot.entry_prio = None
                slot.gen += 1
            return
        priority = slot.head_priority()
        if slot.delay:
            now = (self._loop or asyncio.get_running_loop()).time()
            if now < slot.next_at:
                if slot.entry_prio is not None:
                    slot.entry_prio = None
                    slot.gen += 1
                if slot.timer is None:
                    slot.timer = (self._loop or asyncio.get_running_loop()).call_at(
                        slot.next_at, self._delay_over, slot
                    )
                return
        if slot.entry_prio == priority:
            return
        slot.gen += 1
        slot.entry_prio = priority
        heapq.heappush(self._ready, (-priority, next(self._seq), slot.gen, slot))
        self._wake()

    def _delay_over(self, slot: Slot) -> None:
        slot.timer = None
        self._refresh(slot)

    def _pop_ready(self) -> Any:
        ready = self._ready
        while ready:
            _, _, gen, slot = heapq.heappop(ready)
            if gen != slot.gen:
                continue
            slot.entry_prio = None
            request = slot.pop(self._lifo, self._start_lifo)
            self._queued -= 1
            slot.active.add(request)
            request.meta["download_slot"] = slot.key
            self._inflight[id(request)] = slot
            if slot.delay:
                now = (self._loop or asyncio.get_running_loop()).time()
                slot.lastseen = now
                slot.next_at = now + slot.download_delay()
            self._refresh(slot)
            room = self._room
            if room is not None and not room.done():
                room.set_result(None)
            stats = self.stats
            stats.inc_value("scheduler/dequeued/memory")
            stats.inc_value("scheduler/dequeued")
            return request
        return None
