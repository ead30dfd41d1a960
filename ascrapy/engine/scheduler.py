"""Scrapy's scheduler API (scrapy.core.scheduler): ``BaseScheduler`` and ``Scheduler``.

``Scheduler`` is Scrapy's default scheduler as an object of its own: a dupefilter, a memory
priority queue and, with JOBDIR, a disk priority queue under ``<JOBDIR>/requests.queue``
whose state (``active.json``) is written on close and read on open. The engine schedules
through ``ascrapy.engine.frontier.Frontier``; this module is for code that names Scrapy's
classes (settings, plugins, subclasses).
"""

from __future__ import annotations

import json
import logging
from abc import abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from ascrapy.utils.job import job_dir
from ascrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from ascrapy.dupefilters import BaseDupeFilter
    from ascrapy.http import Request
    from ascrapy.pqueues import QueueProtocol
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider
    from ascrapy.stats import StatsCollector

logger = logging.getLogger("scrapy.core.scheduler")

# What a priority queue's close() returns and its constructor takes back as ``startprios``:
# priorities (ScrapyPriorityQueue) or priorities per slot (DownloaderAwarePriorityQueue).
_QueueState = list[int] | dict[str, list[int]]

_SCHEDULER_METHODS = ("has_pending_requests", "enqueue_request", "next_request")


class BaseSchedulerMeta(type):
    """Any class with the three scheduling methods counts as a scheduler in isinstance and
    issubclass checks: Scrapy's engine accepts schedulers that do not inherit anything."""

    def __instancecheck__(cls, instance: object) -> bool:
        return cls.__subclasscheck__(type(instance))

    def __subclasscheck__(cls, subclass: type) -> bool:
        return all(callable(getattr(subclass, name, None)) for name in _SCHEDULER_METHODS)


class BaseScheduler(metaclass=BaseSchedulerMeta):
    """The interface an engine drives: it enqueues the requests it is given (from the
    spider's start and callbacks, and from middlewares), and hands them back through
    ``next_request`` in the order they should be downloaded.

    ``open`` and ``close`` are optional hooks; the other three methods are required.
    """

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        return cls()

    def open(self, spider: Spider) -> Awaitable[None] | None:
        """Called when the spider opens: set up storage here (the engine awaits what it
        returns, if anything)."""

    def close(self, reason: str) -> Awaitable[None] | None:
        """Called when the spider closes, with the close reason: release storage here (the
        engine awaits what it returns, if anything)."""

    @abstractmethod
    def has_pending_requests(self) -> bool:
        """Whether requests are still stored."""
        raise NotImplementedError

    @abstractmethod
    def enqueue_request(self, request: Request) -> bool:
        """Store ``request``; False when it is refused (the engine then sends
        ``request_dropped`` and does not retry it)."""
        raise NotImplementedError

    @abstractmethod
    def next_request(self) -> Request | None:
        """The next request to download, or None when none is ready right now (the engine
        asks again while ``has_pending_requests`` is True)."""
        raise NotImplementedError


class _PriorityQueue(Protocol):
    """What the scheduler needs of SCHEDULER_PRIORITY_QUEUE instances."""

    def push(self, request: Request) -> None: ...

    def pop(self) -> Request | None: ...

    def close(self) -> _QueueState: ...

    def __len__(self) -> int: ...


class Scheduler(BaseScheduler):
    """Scrapy's default scheduler: deduplicates with DUPEFILTER_CLASS and orders requests by
    priority through SCHEDULER_PRIORITY_QUEUE instances.

    Without JOBDIR everything is in memory (SCHEDULER_MEMORY_QUEUE per priority). With
    JOBDIR requests go to disk (SCHEDULER_DISK_QUEUE) so that a stopped crawl can resume;
    a request that cannot be serialized (a lambda in its meta, a callback that is not a
    spider method) stays in memory instead and is counted in ``scheduler/unserializable``.
    ``next_request`` serves memory before disk. Start requests use the SCHEDULER_START_*
    queue classes when those are set.

    ``crawler`` is optional for construction, but ``open`` needs it: the queues are built
    from it. Queue classes and stats left as None are taken from the crawler.
    """

    mqs: _PriorityQueue
    dqs: _PriorityQueue | None
    spider: Spider

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        settings = crawler.settings
        return cls(
            dupefilter=build_from_crawler(load_object(settings["DUPEFILTER_CLASS"]), crawler),
            jobdir=job_dir(settings),
            dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
            mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
        )

    def __init__(
        self,
        dupefilter: BaseDupeFilter,
        jobdir: str | None = None,
        dqclass: type[QueueProtocol] | None = None,
        mqclass: type[QueueProtocol] | None = None,
        logunser: bool = False,
        stats: StatsCollector | None = None,
        pqclass: type[_PriorityQueue] | None = None,
        crawler: CrawlerProtocol | None = None,
    ) -> None:
        self.df = dupefilter
        self.dqdir = self._dqdir(jobdir)
        self.crawler = crawler
        self.dqclass = dqclass or self._setting_class("SCHEDULER_DISK_QUEUE")
        self.mqclass = mqclass or self._setting_class("SCHEDULER_MEMORY_QUEUE")
        self.pqclass = pqclass or self._setting_class("SCHEDULER_PRIORITY_QUEUE")
        self.logunser = logunser  # cleared after the first warning: it is given once
        self.stats = stats if stats is not None or crawler is None else crawler.stats
        self._sdqclass: type[QueueProtocol] | None = self._setting_class("SCHEDULER_START_DISK_QUEUE")
        self._smqclass: type[QueueProtocol] | None = self._setting_class("SCHEDULER_START_MEMORY_QUEUE")
        self.dqs = None

    def _setting_class(self, name: str) -> type | None:
        """The class a setting names, None without a crawler or when the setting is empty."""
        if self.crawler is None:
            return None
        path = self.crawler.settings.get(name)
        return load_object(path) if path else None

    # -- the interface ---------------------------------------------------------------------

    def open(self, spider: Spider) -> Awaitable[None] | None:
        """Build the memory queue, and the disk queue (resuming its state) with JOBDIR;
        then open the dupefilter and return what its ``open`` returns."""
        self.spider = spider
        self.mqs = self._mq()
        self.dqs = self._dq() if self.dqdir else None
        return self.df.open()

    def close(self, reason: str) -> Awaitable[None] | None:
        """Close the disk queue, saving its state for a resume, and then the dupefilter
        (returning what its ``close`` returns)."""
        if self.dqs is not None:
            assert self.dqdir is not None
            self._write_dqs_state(self.dqdir, self.dqs.close())
        return self.df.close(reason)

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def enqueue_request(self, request: Request) -> bool:
        """Store ``request`` (disk first, memory when it cannot be serialized); False when
        the dupefilter has seen it."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self._dqpush(request):
            self._count("scheduler/enqueued/disk")
        else:
            self._mqpush(request)
            self._count("scheduler/enqueued/memory")
        self._count("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        """The next request from memory, else from disk; None when both are empty."""
        request = self.mqs.pop()
        if request is not None:
            self._count("scheduler/dequeued/memory")
        else:
            request = self._dqpop()
            if request is None:
                return None
            self._count("scheduler/dequeued/disk")
        self._count("scheduler/dequeued")
        return request

    def __len__(self) -> int:
        return len(self.mqs) + (len(self.dqs) if self.dqs is not None else 0)

    # -- the queues --------------------------------------------------------------------------

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _dqpush(self, request: Request) -> bool:
        """Push to disk; False when there is no disk queue or the request does not serialize
        (the queues raise ValueError for that)."""
        if self.dqs is None:
            return False
        try:
            self.dqs.push(request)
        except ValueError as exc:
            if self.logunser:
                logger.warning(
                    "Unable to serialize request: %(request)s - reason: %(reason)s - no more"
                    " unserializable requests will be logged (stats being collected)",
                    {"request": request, "reason": exc},
                    exc_info=True,
                    extra={"spider": self.spider},
                )
                self.logunser = False
            self._count("scheduler/unserializable")
            return False
        return True

    def _mqpush(self, request: Request) -> None:
        self.mqs.push(request)

    def _dqpop(self) -> Request | None:
        return self.dqs.pop() if self.dqs is not None else None

    def _crawler_for_queues(self) -> CrawlerProtocol:
        if self.crawler is None:
            raise RuntimeError(
                "Scheduler.open() needs a crawler to build its queues: pass crawler= to "
                "Scheduler() or build it with Scheduler.from_crawler(crawler)"
            )
        return self.crawler

    def _priority_queue_class(self) -> type[_PriorityQueue]:
        if self.pqclass is None:
            raise ValueError("Scheduler has no priority queue class (SCHEDULER_PRIORITY_QUEUE)")
        return self.pqclass

    def _mq(self) -> _PriorityQueue:
        """A priority queue over memory queues."""
        crawler = self._crawler_for_queues()
        return build_from_crawler(
            self._priority_queue_class(),
            crawler,
            downstream_queue_cls=self.mqclass,
            key="",
            start_queue_cls=self._smqclass,
        )

    def _dq(self) -> _PriorityQueue:
        """A priority queue over disk queues in ``requests.queue``, with the saved state."""
        assert self.dqdir is not None
        crawler = self._crawler_for_queues()
        queue = build_from_crawler(
            self._priority_queue_class(),
            crawler,
            downstream_queue_cls=self.dqclass,
            key=self.dqdir,
            startprios=self._read_dqs_state(self.dqdir),
            start_queue_cls=self._sdqclass,
        )
        if len(queue):
            logger.info(
                "Resuming crawl (%(queuesize)d requests scheduled)",
                {"queuesize": len(queue)},
                extra={"spider": self.spider},
            )
        return queue

    @staticmethod
    def _dqdir(jobdir: str | None) -> str | None:
        """``<jobdir>/requests.queue``, created; None without a job directory."""
        if not jobdir:
            return None
        path = Path(jobdir, "requests.queue")
        path.mkdir(parents=True, exist_ok=True)
        return str(path)

    @staticmethod
    def _read_dqs_state(dqdir: str) -> _QueueState:
        path = Path(dqdir, "active.json")
        if not path.exists():
            return []
        state: _QueueState = json.loads(path.read_text(encoding="utf-8"))
        return state

    @staticmethod
    def _write_dqs_state(dqdir: str, state: _QueueState) -> None:
        Path(dqdir, "active.json").write_text(json.dumps(state), encoding="utf-8")
