"""Scrapy's scheduler API (scrapy.core.scheduler) as a standalone object: BaseScheduler's duck
typing, and Scheduler's dedupe, order, JOBDIR resume and the memory fallback for requests
that cannot be serialized."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from ascrapy import Request, Spider
from ascrapy.dupefilters import BaseDupeFilter
from ascrapy.engine.scheduler import BaseScheduler, Scheduler
from ascrapy.pqueues import DownloaderAwarePriorityQueue, ScrapyPriorityQueue
from ascrapy.squeues import FifoMemoryQueue, PickleFifoDiskQueue
from ascrapy.utils.test import get_crawler
from tests.sched_helpers import slot_request, with_fake_engine

IN_ORDER = {"SCHEDULER_PRIORITY_QUEUE": "ascrapy.pqueues.ScrapyPriorityQueue"}


class NamedSpider(Spider):
    name = "sched"

    def parse_item(self, response):
        pass


def make(settings: dict | None = None, jobdir: Path | None = None) -> Scheduler:
    """An opened Scheduler for a crawler with ``settings`` (and JOBDIR)."""
    if jobdir is not None:
        settings = {**(settings or {}), "JOBDIR": str(jobdir)}
    crawler = with_fake_engine(get_crawler(NamedSpider, settings))
    crawler.spider = crawler._create_spider()
    scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return scheduler


def drain(scheduler: Scheduler) -> list[str]:
    out = []
    while scheduler.has_pending_requests():
        out.append(scheduler.next_request().url.rsplit("/", 1)[1])
    assert scheduler.next_request() is None
    return out


def stats(scheduler: Scheduler) -> dict[str, int]:
    return {k: v for k, v in scheduler.stats.get_stats().items() if k.startswith("scheduler/")}


# -- BaseScheduler --------------------------------------------------------------------------


class DuckScheduler:
    def has_pending_requests(self):
        return False

    def enqueue_request(self, request):
        return True

    def next_request(self):
        return None


class NotAScheduler:
    has_pending_requests = enqueue_request = True  # not callable

    def next_request(self):
        return None


def test_any_class_with_the_three_methods_counts_as_a_scheduler():
    assert isinstance(DuckScheduler(), BaseScheduler) and issubclass(DuckScheduler, BaseScheduler)
    assert issubclass(Scheduler, BaseScheduler)
    assert not isinstance(NotAScheduler(), BaseScheduler) and not issubclass(NotAScheduler, BaseScheduler)
    assert not isinstance(object(), BaseScheduler)


def test_base_scheduler_hooks_do_nothing_and_its_methods_are_abstract():
    scheduler = BaseScheduler.from_crawler(get_crawler(Spider))
    assert scheduler.open(Spider("s")) is None and scheduler.close("finished") is None
    for call in (scheduler.has_pending_requests, scheduler.next_request):
        with pytest.raises(NotImplementedError):
            call()
    with pytest.raises(NotImplementedError):
        scheduler.enqueue_request(Request("http://a.example/"))


# -- Scheduler in memory ------------------------------------------------------------------


def test_duplicates_are_refused_unless_dont_filter():
    scheduler = make(IN_ORDER)
    assert scheduler.enqueue_request(Request("http://a.example/1"))
    assert not scheduler.enqueue_request(Request("http://a.example/1"))
    assert scheduler.enqueue_request(Request("http://a.example/1", dont_filter=True))
    assert len(scheduler) == 2
    assert stats(scheduler) == {"scheduler/enqueued": 2, "scheduler/enqueued/memory": 2}


def test_priority_then_lifo_and_start_requests_after_others_by_default():
    scheduler = make(IN_ORDER)
    for name, priority in [("a", 0), ("b", 0), ("c", 5), ("d", -1)]:
        scheduler.enqueue_request(Request(f"http://x.example/{name}", priority=priority))
    for name in ("s1", "s2"):
        scheduler.enqueue_request(Request(f"http://x.example/{name}", meta={"is_start_request": True}))
    assert drain(scheduler) == ["c", "b", "a", "s1", "s2", "d"]
    assert stats(scheduler)["scheduler/dequeued/memory"] == 6
    assert stats(scheduler)["scheduler/dequeued"] == 6
    assert "scheduler/dequeued/disk" not in stats(scheduler)


def test_queue_classes_come_from_the_settings_as_paths_or_objects():
    scheduler = make({**IN_ORDER, "SCHEDULER_MEMORY_QUEUE": FifoMemoryQueue, "SCHEDULER_START_MEMORY_QUEUE": None})
    assert scheduler.mqclass is FifoMemoryQueue and scheduler.pqclass is ScrapyPriorityQueue
    assert scheduler._smqclass is None
    for name in ("a", "s", "b"):
        scheduler.enqueue_request(Request(f"http://x.example/{name}", meta={"is_start_request": name == "s"}))
    assert drain(scheduler) == ["a", "s", "b"]


def test_the_default_priority_queue_is_downloader_aware():
    scheduler = make()
    assert isinstance(scheduler.mqs, DownloaderAwarePriorityQueue)
    for name in "12":
        for slot in "ba":
            scheduler.enqueue_request(slot_request(slot, slot + name))
    assert drain(scheduler) == ["a2", "b2", "a1", "b1"]  # slots take turns, each LIFO


class RecordingDupeFilter(BaseDupeFilter):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def open(self):
        self.calls.append("open")
        return "opened"

    def close(self, reason):
        self.calls.append(f"close:{reason}")
        return "closed"


def test_open_and_close_return_what_the_dupefilter_returns():
    crawler = get_crawler(Spider, IN_ORDER)
    dupefilter = RecordingDupeFilter()
    scheduler = Scheduler(dupefilter, crawler=crawler)  # queue classes and stats from the crawler
    assert scheduler.stats is crawler.stats and scheduler.dqclass is not None
    assert scheduler.open(Spider("s")) == "opened"
    assert scheduler.close("finished") == "closed"
    assert dupefilter.calls == ["open", "close:finished"]


def test_without_a_crawler_it_builds_but_cannot_open():
    scheduler = Scheduler(BaseDupeFilter())
    assert scheduler.crawler is None and scheduler.stats is None and scheduler.pqclass is None
    with pytest.raises(RuntimeError, match="needs a crawler"):
        scheduler.open(Spider("s"))


def test_concurrent_requests_per_ip_with_the_downloader_aware_queue_fails_on_open():
    with pytest.warns(Warning, match="CONCURRENT_REQUESTS_PER_IP"):
        scheduler = Scheduler.from_crawler(get_crawler(Spider, {"CONCURRENT_REQUESTS_PER_IP": 1}))
        with pytest.raises(ValueError, match="does not support CONCURRENT_REQUESTS_PER_IP"):
            scheduler.open(Spider("s"))


# -- Scheduler with JOBDIR ----------------------------------------------------------------


def test_jobdir_requests_go_to_disk_and_resume_after_close(tmp_path: Path, caplog):
    scheduler = make(IN_ORDER, tmp_path)
    spider = scheduler.spider
    for name, priority in [("a", 0), ("b", 1), ("c", 0)]:
        scheduler.enqueue_request(Request(f"http://x.example/{name}", priority=priority, callback=spider.parse_item))
    assert stats(scheduler) == {"scheduler/enqueued": 3, "scheduler/enqueued/disk": 3}
    scheduler.close("shutdown")
    assert json.loads((tmp_path / "requests.queue" / "active.json").read_text()) == [-1, 0]

    with caplog.at_level(logging.INFO, logger="scrapy.core.scheduler"):
        resumed = make(IN_ORDER, tmp_path)
    assert [r.getMessage() for r in caplog.records if r.name == "scrapy.core.scheduler"] == [
        "Resuming crawl (3 requests scheduled)"
    ]
    assert len(resumed) == 3
    first = resumed.next_request()
    assert first.url.endswith("/b") and first.callback == resumed.spider.parse_item
    assert drain(resumed) == ["c", "a"]
    assert stats(resumed)["scheduler/dequeued/disk"] == 3
    resumed.close("finished")
    assert json.loads((tmp_path / "requests.queue" / "active.json").read_text()) == []


def test_downloader_aware_state_resumes_per_slot(tmp_path: Path):
    scheduler = make(jobdir=tmp_path)
    for slot, name in [("a", "a1"), ("b", "b1"), ("a", "a2")]:
        scheduler.enqueue_request(slot_request(slot, name))
    scheduler.close("shutdown")
    assert json.loads((tmp_path / "requests.queue" / "active.json").read_text()) == {"a": [0], "b": [0]}
    resumed = make(jobdir=tmp_path)
    assert sorted(drain(resumed)) == ["a1", "a2", "b1"]


def test_a_state_from_another_priority_queue_class_is_refused(tmp_path: Path):
    scheduler = make(IN_ORDER, tmp_path)
    scheduler.enqueue_request(Request("http://x.example/a"))
    scheduler.close("shutdown")
    with pytest.raises(ValueError, match="DownloaderAwarePriorityQueue accepts ``slot_startprios`` as a dict"):
        make(jobdir=tmp_path)


def test_unserializable_requests_stay_in_memory_and_are_warned_about_once(tmp_path: Path, caplog):
    scheduler = make({**IN_ORDER, "SCHEDULER_DEBUG": True}, tmp_path)
    with caplog.at_level(logging.WARNING, logger="scrapy.core.scheduler"):
        scheduler.enqueue_request(Request("http://x.example/disk1"))
        for name in ("mem1", "mem2"):
            scheduler.enqueue_request(Request(f"http://x.example/{name}", meta={"hook": lambda: None}))
        scheduler.enqueue_request(Request("http://x.example/disk2", callback=lambda response: None))
    warnings = [r for r in caplog.records if "Unable to serialize request" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].exc_info is not None
    assert stats(scheduler) == {
        "scheduler/enqueued": 4,
        "scheduler/enqueued/disk": 1,
        "scheduler/enqueued/memory": 3,
        "scheduler/unserializable": 3,
    }
    assert drain(scheduler) == ["disk2", "mem2", "mem1", "disk1"]  # memory first, then disk
    assert stats(scheduler)["scheduler/dequeued/memory"] == 3
    assert stats(scheduler)["scheduler/dequeued/disk"] == 1


def test_unserializable_requests_are_not_logged_without_scheduler_debug(tmp_path: Path, caplog):
    scheduler = make(IN_ORDER, tmp_path)
    with caplog.at_level(logging.WARNING, logger="scrapy.core.scheduler"):
        scheduler.enqueue_request(Request("http://x.example/m", meta={"hook": lambda: None}))
    assert "Unable to serialize request" not in caplog.text
    assert stats(scheduler)["scheduler/unserializable"] == 1


def test_disk_queue_classes_come_from_the_settings(tmp_path: Path):
    scheduler = make({**IN_ORDER, "SCHEDULER_DISK_QUEUE": "ascrapy.squeues.PickleFifoDiskQueue"}, tmp_path)
    assert scheduler.dqclass is PickleFifoDiskQueue
    for name in "abc":
        scheduler.enqueue_request(Request(f"http://x.example/{name}"))
    assert drain(scheduler) == ["a", "b", "c"]
    assert not any((tmp_path / "requests.queue").iterdir())  # drained queues leave no files
