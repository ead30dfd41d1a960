"""The frontier: every request the crawl still owes, and the politeness every download obeys.

It dedupes (DUPEFILTER_CLASS), orders by priority (LIFO or FIFO within a priority, start
requests after others of the same priority, as Scrapy's scheduler), keeps one queue per
download slot with its gate (concurrency, delay), and counts pending work: a request stays
pending from its push until the engine acknowledges it (``ack``): its callback has pushed
its children and every item it produced has landed in every batch sink. At zero pending
the crawl is finished (after the spider_idle check).

Pushing never blocks or awaits: that keeps the request feedback loop free of deadlock.
Exactly one consumer (the engine's dispatcher) awaits ``pull``. Every download, also those
made outside the queue (robots.txt, media, ``engine.download``), passes its slot's gate
(``enter``) right before the download handler runs.

With a store (JOBDIR, or SCHEDULER_SPILL_DIR) queued requests beyond SCHEDULER_MEMORY_BUDGET
wait on disk; with JOBDIR every request is stored until acknowledged (crash safety, see
ascrapy.engine.disk_store).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ascrapy.engine.disk_store import store_for_crawler
from ascrapy.engine.interfaces import DupeFilter, FrontierStore, StoredState
from ascrapy.engine.lineage import Lineage
from ascrapy.engine.memory_budget import MemoryBudget
from ascrapy.engine.politeness import SLOT_IDLE_SECONDS, Politeness
from ascrapy.engine.queue_order import QueueOrder, native_order
from ascrapy.engine.slots import Slot
from ascrapy.utils._fasturl import url_hostname
from ascrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.scheduler")

DEFAULT_ORDER = QueueOrder()


class Frontier:
    """The engine's scheduler: dedupe, priorities, slots and their gates, pending count."""

    # Whether every request this frontier accepts is acknowledged here too, so that a
    # Lineage can follow it (False where another worker may take it).
    follows_lineage = True

    def __init__(
        self, crawler: CrawlerProtocol, dupefilter: DupeFilter, store: FrontierStore | None = None,
        order: QueueOrder = DEFAULT_ORDER, politeness: Politeness | None = None,
    ) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.df = dupefilter
        self.store = store
        self.spider: Spider | None = None
        # The downloader's slots when there is one: its gate and this queue are one politeness.
        self.politeness = politeness if politeness is not None else Politeness(settings)
        self.politeness.changed = self._refresh
        self.slots = self.politeness.slots
        self._parked: dict[str, list[Request]] = {}  # per-IP: requests waiting for their host's lookup
        self._lifo = order.lifo
        self._start_lifo = order.start_lifo
        self._start_apart = order.start_apart
        self.budget = MemoryBudget(store, settings.getint("SCHEDULER_MEMORY_BUDGET", 20000), order,
                                   crawler.stats) if store is not None else None
        self._commit_interval = settings.getfloat("SCHEDULER_COMMIT_INTERVAL", 0.5)
        self._ready: list[tuple[int, int, int, Slot]] = []
        self._seq = itertools.count()
        self._inflight = self.politeness.inflight
        self._queued = 0
        self._pending = 0
        self._holds = 0
        self._closed = False
        self.paused = False
        self._waiter: asyncio.Future[None] | None = None
        self._room: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._housekeeping: asyncio.TimerHandle | None = None
        self._commit_soon = False
        self._store_closed = False
        self.on_idle: Callable[[], Awaitable[bool]] | None = None
        self.on_empty: Callable[[], None] | None = None  # nothing ready to hand out now
        self.lineage: Lineage | None = None  # told of each accepted and acknowledged request

    @classmethod
    def from_crawler(
        cls, crawler: CrawlerProtocol, order: QueueOrder | None = None, politeness: Politeness | None = None
    ) -> Frontier:
        settings = crawler.settings
        if order is None:
            order = native_order(settings, durable=bool(settings.get("JOBDIR")))
            if order is None:
                raise ValueError(
                    f"{cls.__name__} orders requests itself and cannot use the queue classes in "
                    "SCHEDULER_*_QUEUE; set SCHEDULER = 'ascrapy.engine.scheduler.Scheduler' to "
                    "run them as they are"
                )
        dupefilter = build_from_crawler(load_object(settings["DUPEFILTER_CLASS"]), crawler)
        return cls(crawler, dupefilter, store_for_crawler(crawler, order.encoding), order, politeness)

    # -- Scrapy's scheduler surface -------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self._loop = self.politeness.loop = asyncio.get_running_loop()
        opener = getattr(self.df, "open", None)
        if opener is not None:
            opener()
        if self.store is not None:
            self._resume(self.store.open(spider))
            if self.store.durable:
                defer_writes = getattr(self.df, "write_on_commit", None)
                if defer_writes is not None:
                    defer_writes()  # requests.seen never gets ahead of the stored requests
        self._housekeeping = self._loop.call_later(self._housekeeping_interval, self._keep_house)

    def _resume(self, state: StoredState) -> None:
        """Take back what a previous run left in the store (counts only: loaded lazily)."""
        for (key, priority, is_start), count in state.counts.items():
            slot = self.politeness.slot(key)
            slot.count_stored(priority, is_start, count)
            self._queued += count
            self._pending += count
            self._refresh(slot)
        if state.total:
            logger.info("Resuming crawl (%(queuesize)d requests scheduled)", {"queuesize": state.total},
                        extra={"spider": self.spider})
            self.stats.set_value("scheduler/resumed", state.total)
        if state.in_flight:
            # Their pages were being crawled when the previous run ended: what they did then
            # (items written, children pushed) may happen again now.
            self.stats.set_value("scheduler/resumed/in_flight", state.in_flight)

    def close(self, reason: str) -> None:
        """Stop handing out requests; what is queued stays queued (and in the store)."""
        self.stop()
        if self._housekeeping is not None:
            self._housekeeping.cancel()
        self.politeness.close()
        if self.store is not None:
            self.store.close()
            self._store_closed = True
            self._commit_dupefilter()
        closer = getattr(self.df, "close", None)
        if closer is not None:
            closer(reason)

    def stop(self) -> None:
        """Make ``pull`` return None without closing anything (graceful shutdown)."""
        self._closed = True
        if self._room is not None and not self._room.done():
            self._room.set_result(None)
        self._wake()

    def has_pending_requests(self) -> bool:
        return self._queued > 0

    def __len__(self) -> int:
        return self._queued

    def enqueue_request(self, request: Request) -> bool:
        return self.push(request)

    def next_request(self) -> Request | None:
        return self._pop_ready()

    # -- the engine's surface -------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Requests pushed and not yet acknowledged, plus holds (e.g. start() still running)."""
        return self._pending + self._holds

    @property
    def queued(self) -> int:
        return self._queued

    @property
    def in_flight(self) -> int:
        return len(self._inflight)

    @property
    def holds(self) -> int:
        return self._holds

    @property
    def default_delay(self) -> float:
        """The delay of new slots (AutoThrottle sets its start delay here)."""
        return self.politeness.default_delay

    @default_delay.setter
    def default_delay(self, value: float) -> None:
        self.politeness.default_delay = value

    def slot_key(self, request: Request) -> str:
        return self.politeness.slot_key(request)

    def try_enter(self, request: Request) -> bool:
        return self.politeness.try_enter(request)

    async def enter(self, request: Request) -> None:
        await self.politeness.enter(request)

    def release(self, request: Request) -> None:
        self.politeness.release(request)

    def follow(self, lineage: Lineage) -> None:
        """Tell ``lineage`` of every request accepted and acknowledged from now on."""
        self.lineage = lineage

    def push(self, request: Request) -> bool:
        """Queue ``request`` unless it is a duplicate; never blocks."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.lineage is not None:
            self.lineage.opened(request)
        self._queued += 1
        self._pending += 1
        key = self.politeness.known_slot_key(request)
        durable = self._park(request) if key is None else self._place(request, self.politeness.slot(key))
        stats = self.stats
        stats.inc_value("scheduler/enqueued/disk" if durable else "scheduler/enqueued/memory")
        stats.inc_value("scheduler/enqueued")
        return True

    def _place(self, request: Request, slot: Slot, *, recorded: bool = False) -> bool:
        """Put an accepted request in its slot's queue (the budget may send it, or another,
        to the store); True when the store keeps it durably. ``recorded``: the store has it."""
        meta = request.meta_or_none
        is_start = self._start_apart and bool(meta and meta.get("is_start_request"))
        budget = self.budget
        if budget is None:
            slot.push(request, request.priority, is_start)
            self._refresh(slot)
            return False
        durable = budget.place(request, slot, is_start, recorded)
        self._refresh(slot)
        return durable

    def _park(self, request: Request) -> bool:
        """Per-IP slots: hold ``request`` until its host's address is known (recorded in a
        durable store under its host's name meanwhile); True when stored durably."""
        host = url_hostname(request.url)
        waiting = self._parked.get(host)
        if waiting is None:
            waiting = self._parked[host] = []
            assert self.politeness.addresses is not None
            self.politeness.addresses.looked_up(host).add_done_callback(lambda _: self._unpark(host))
        waiting.append(request)
        if self.budget is None:
            return False
        meta = request.meta_or_none
        is_start = self._start_apart and bool(meta and meta.get("is_start_request"))
        return self.budget.record(request, host, is_start)

    def _unpark(self, host: str) -> None:
        for request in self._parked.pop(host, ()):
            self._place(request, self.politeness.slot(self.slot_key(request)), recorded=self.store is not None)

    async def wait_for_room(self, limit: int) -> None:
        """Wait until fewer than ``limit`` requests are queued (lazy start() consumption)."""
        while self.queued >= limit and not self._closed:
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

    def nudge(self) -> None:
        """Look again (the engine's heartbeat): an idle spider, a scheduler that said later."""
        self._wake()

    def hold(self) -> None:
        """Keep the crawl from finishing while a producer (start()) may still push."""
        self._holds += 1

    def unhold(self) -> None:
        self._holds -= 1
        self._wake()

    def ack(self, request: Request) -> None:
        """``request`` is finished: its children are pushed and its items have landed."""
        self.politeness.release(request)
        if self.lineage is not None:
            self.lineage.closed(request)
        store = self.store
        if store is not None:
            store.ack(request)
            if store.durable and not self._commit_soon:
                # Acknowledgements come in bursts (a batch of items landed): one commit each,
                # so that a crash repeats at most the work still in flight.
                self._commit_soon = True
                (self._loop or asyncio.get_running_loop()).call_soon(self._commit)
        self._pending -= 1
        if self._pending == 0:
            self._wake()

    async def pull(self) -> Request | None:
        """The next ready request, waiting as needed; None when the crawl is over or stopped.
        While spider_idle keeps an idle crawl open, it is sent again at each ``nudge``."""
        loop = self._loop or asyncio.get_running_loop()
        while True:
            if self._closed:
                return None
            request = None if self.paused else self._pop_ready()
            if request is not None:
                return request
            if self.on_empty is not None and not self.paused:
                self.on_empty()  # asked and nothing to hand out (Scrapy's scheduler_empty), idle or not
            if self._pending == 0 and self._holds == 0 and not self.paused:
                keep_open = self.on_idle is not None and await self.on_idle()
                if self._pending or self._holds or self._closed:
                    continue
                if not keep_open:
                    return None
            self._waiter = waiter = loop.create_future()
            try:
                await waiter
            finally:
                self._waiter = None

    # -- internals ------------------------------------------------------------------------

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _refresh(self, slot: Slot) -> None:
        """Give ``slot`` one valid entry in the ready heap if it may hand out a request now,
        or a timer for when its delay is over."""
        if not (slot.size or slot.stored_size) or not self.politeness.may_hand_out(slot):
            if slot.entry_prio is not None:
                slot.entry_prio = None
                slot.gen += 1
            if slot.idle_since is None and not slot.active and not slot.size and not slot.stored_size:
                slot.idle_since = self.politeness.now()
            return
        slot.idle_since = None
        if slot.delay and self.politeness.now() < slot.next_at:
            if slot.entry_prio is not None:
                slot.entry_prio = None
                slot.gen += 1
            self.politeness.set_timer(slot)
            return
        priority = slot.head_priority()
        if slot.entry_prio == priority:
            return
        slot.gen += 1
        slot.entry_prio = priority
        heapq.heappush(self._ready, (-priority, next(self._seq), slot.gen, slot))
        self._wake()

    def _pop_ready(self) -> Request | None:
        ready = self._ready
        while ready:
            _, _, gen, slot = heapq.heappop(ready)
            if gen != slot.gen:
                continue
            slot.entry_prio = None
            if slot.stored_size:
                lost = self.budget.refill(slot)  # type: ignore[union-attr]
                if lost:  # stored requests that could not be restored (logged by the store)
                    self._queued -= lost
                    self._pending -= lost
                    if self._pending == 0:
                        self._wake()
                if not slot.size:
                    self._refresh(slot)
                    continue
            request = slot.pop(self._lifo, self._start_lifo)
            self._queued -= 1
            if self.budget is not None:
                self.budget.taken(request)
            self.politeness.reserve(request, slot)
            self._refresh(slot)
            room = self._room
            if room is not None and not room.done():
                room.set_result(None)
            self._count_dequeued()
            return request
        return None

    def _count_dequeued(self) -> None:
        stats = self.stats
        stats.inc_value("scheduler/dequeued/disk" if self.store is not None and self.store.durable
                        else "scheduler/dequeued/memory")
        stats.inc_value("scheduler/dequeued")

    @property
    def _housekeeping_interval(self) -> float:
        return min(self._commit_interval, SLOT_IDLE_SECONDS) if self.store is not None else SLOT_IDLE_SECONDS

    def _keep_house(self) -> None:
        """Periodic: commit the store (for the requests pushed meanwhile), forget idle slots."""
        loop = self._loop or asyncio.get_running_loop()
        if self.store is not None:
            self._commit()
        self.politeness.forget_idle()
        if not self._closed:
            self._housekeeping = loop.call_later(self._housekeeping_interval, self._keep_house)

    def _commit(self) -> None:
        """Make what the store has recorded durable, then the fingerprints of those requests."""
        self._commit_soon = False
        if self.store is not None and not self._store_closed:
            self.store.commit()
            self._commit_dupefilter()

    def _commit_dupefilter(self) -> None:
        commit = getattr(self.df, "commit", None)
        if commit is not None:
            commit()
