"""SCHEDULER: ascrapy's own frontier, or any class with Scrapy's scheduler API.

``build_frontier`` reads SCHEDULER. Scrapy's default ``Scheduler`` with queue classes the
frontier implements itself (Scrapy's memory, disk and SQLite queues, FIFO or LIFO, pickle or
marshal; ScrapyPriorityQueue or DownloaderAwarePriorityQueue) runs as the native Frontier:
the same order, with a queue per slot so that no site holds back another. Any other class
with Scrapy's API (``enqueue_request``, ``next_request``, ``has_pending_requests``; ``open``
and ``close`` optional: a ``BaseScheduler`` subclass, a Scheduler with custom queue classes)
runs under a ``SchedulerFrontier``: the same politeness core, fed by that scheduler.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from ascrapy.engine.frontier import Frontier
from ascrapy.engine.politeness import Politeness
from ascrapy.engine.queue_order import native_order
from ascrapy.engine.scheduler import BaseScheduler, Scheduler
from ascrapy.utils.misc import build_from_crawler, load_object

RETRY_SECONDS = 0.1  # how soon a scheduler that had requests but handed out none is asked again

if TYPE_CHECKING:
    from ascrapy.engine.interfaces import CrawlFrontier
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

def build_frontier(crawler: CrawlerProtocol, politeness: Politeness | None = None) -> CrawlFrontier:
    """The frontier for the SCHEDULER setting (see the module docstring), on the
    downloader's ``politeness`` when given."""
    setting = crawler.settings["SCHEDULER"]
    scheduler_class = load_object(setting)
    if isinstance(scheduler_class, type) and issubclass(scheduler_class, Frontier):
        return scheduler_class.from_crawler(crawler, politeness=politeness)
    if scheduler_class is Scheduler:
        order = native_order(crawler.settings, durable=bool(crawler.settings.get("JOBDIR")))
        if order is not None:
            return Frontier.from_crawler(crawler, order, politeness)
    if not isinstance(scheduler_class, type) or not issubclass(scheduler_class, BaseScheduler):
        raise TypeError(f"The provided scheduler class ({setting}) does not fully implement the scheduler interface")
    return SchedulerFrontier(crawler, build_from_crawler(scheduler_class, crawler), politeness)


class _AcceptAll:
    """The wrapped scheduler dedupes; the frontier itself lets every request through."""

    def request_seen(self, request: Request) -> bool:
        return False

    def log(self, request: Request, spider: Spider | None) -> None:
        pass


class SchedulerFrontier(Frontier):
    """The frontier's politeness core fed by a scheduler with Scrapy's API.

    Pushes go to ``scheduler.enqueue_request``. The frontier takes requests from
    ``scheduler.next_request`` while fewer than CONCURRENT_REQUESTS of them wait in its slot
    queues (as Scrapy's engine does with its downloader), so what the scheduler orders
    still waits in the scheduler, and every request still passes its slot's gate. The crawl
    is over when the scheduler has nothing pending and nothing taken from it is unfinished.
    """

    def __init__(self, crawler: CrawlerProtocol, scheduler: BaseScheduler, politeness: Politeness | None = None) -> None:
        super().__init__(crawler, _AcceptAll(), politeness=politeness)
        self.scheduler = scheduler
        self._window = max(crawler.settings.getint("CONCURRENT_REQUESTS"), 1)

    # -- Scrapy's scheduler surface: the wrapped scheduler's --------------------------------

    def open(self, spider: Spider) -> Awaitable[Any] | None:  # type: ignore[override]
        super().open(spider)
        opener = getattr(self.scheduler, "open", None)
        return opener(spider) if opener is not None else None

    def close(self, reason: str) -> Awaitable[Any] | None:  # type: ignore[override]
        super().close(reason)
        closer = getattr(self.scheduler, "close", None)
        return closer(reason) if closer is not None else None

    def has_pending_requests(self) -> bool:
        return bool(self._queued) or bool(self.scheduler.has_pending_requests())

    def __len__(self) -> int:
        return self.queued

    def enqueue_request(self, request: Request) -> bool:
        return self.push(request)

    def next_request(self) -> Request | None:
        self._take()
        return self._pop_ready()

    # -- the engine's surface ---------------------------------------------------------------

    @property
    def pending(self) -> int:
        waiting = 1 if self.scheduler.has_pending_requests() else 0
        return self._pending + self._holds + waiting

    @property
    def queued(self) -> int:
        try:
            held = len(self.scheduler)  # type: ignore[arg-type]  # optional in Scrapy's API
        except TypeError:  # a scheduler without __len__
            held = 1 if self.scheduler.has_pending_requests() else 0
        return self._queued + held

    def push(self, request: Request) -> bool:
        if not self.scheduler.enqueue_request(request):
            return False
        if self.lineage is not None:
            self.lineage.opened(request)
        self._wake()
        return True

    async def pull(self) -> Request | None:
        loop = self._loop or asyncio.get_running_loop()
        while True:
            if self._closed:
                return None
            if not self.paused:
                self._take()
                request = self._pop_ready()
                if request is not None:
                    return request
                if self.on_empty is not None:
                    self.on_empty()  # asked and nothing to hand out (Scrapy's scheduler_empty)
            scheduler_pending = bool(self.scheduler.has_pending_requests())
            if not scheduler_pending and self._pending == 0 and self._holds == 0 and not self.paused:
                keep_open = self.on_idle is not None and await self.on_idle()
                if self._pending or self._holds or self._closed or self.scheduler.has_pending_requests():
                    continue
                if not keep_open:
                    return None
            # Woken by a push, a release or an ack. A scheduler that holds requests but hands
            # out none now (it sleeps, it waits for something) is asked again soon.
            self._waiter = waiter = loop.create_future()
            retry = loop.call_later(RETRY_SECONDS, self._wake) if scheduler_pending else None
            try:
                await waiter
            finally:
                self._waiter = None
                if retry is not None:
                    retry.cancel()

    def _count_dequeued(self) -> None:
        """The wrapped scheduler counts its own (scheduler/dequeued...)."""

    def _take(self) -> None:
        """Move requests from the scheduler into the slot queues, up to the window."""
        scheduler = self.scheduler
        while self._queued < self._window and scheduler.has_pending_requests():
            request = scheduler.next_request()
            if request is None:
                return
            if inspect.isawaitable(request):
                raise TypeError(f"{type(scheduler).__name__}.next_request() must return a Request or None")
            self._pending += 1
            self._queued += 1
            key = self.politeness.known_slot_key(request)
            if key is None:
                self._park(request)
            else:
                self._place(request, self.politeness.slot(key))
