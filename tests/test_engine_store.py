"""The frontier's disk store: what a durable JOBDIR keeps across a crash, and what it does not."""

from __future__ import annotations

import logging
import marshal
import pickle
import sqlite3

import pytest

from ascrapy import Request, Spider
from ascrapy.engine.disk_store import DiskStore
from ascrapy.engine.frontier import Frontier
from ascrapy.utils.test import get_crawler


class Pages(Spider):
    name = "pages"

    def parse_page(self, response):
        pass


def crash(store: DiskStore) -> None:
    """What kill -9 leaves: the connection gone, its uncommitted writes with it."""
    assert store._db is not None
    store._db.close()
    store._db = None


def rows(store: DiskStore) -> list[tuple[int, str, int]]:
    with sqlite3.connect(store.path) as db:
        return db.execute("SELECT id, slot, state FROM requests ORDER BY id").fetchall()


def test_what_was_committed_and_not_acknowledged_comes_back_after_a_crash(tmp_path):
    spider = Pages()
    store = DiskStore(tmp_path, durable=True)
    store.open(spider)
    requests = [Request(f"http://x.example/{n}", callback=spider.parse_page) for n in range(4)]
    for request in requests:
        assert store.add(request, "x.example", 0, False, in_memory=True)
    store.lease(requests[0])
    store.lease(requests[1])
    store.ack(requests[1])  # acknowledged before its row was even written: never written
    store.commit()
    assert [row[2] for row in rows(store)] == [2, 1, 1]  # in flight, queued, queued
    store.ack(requests[2])
    crash(store)  # the acknowledgement of requests[2] was not committed

    reopened = DiskStore(tmp_path, durable=True)
    state = reopened.open(spider)
    assert state.counts == {("x.example", 0, False): 3}
    assert state.in_flight == 1
    back = reopened.load("x.example", 0, False, 10, newest_first=False)
    assert [r.url for r in back] == ["http://x.example/0", "http://x.example/2", "http://x.example/3"]
    assert all(r.callback == spider.parse_page for r in back)
    reopened.close()


def test_an_evicted_request_waits_in_its_slot_and_loads_back(tmp_path):
    store = DiskStore(tmp_path, durable=True)
    store.open(Pages())
    request = Request("http://x.example/a", priority=3)
    store.add(request, "host-name", 3, False, in_memory=True)
    store.commit()
    assert store.evict(request, "10.0.0.1", 3, False)  # per-IP: stored under its address now
    assert store.load("host-name", 3, False, 5, newest_first=True) == []
    (loaded,) = store.load("10.0.0.1", 3, False, 5, newest_first=True)
    assert loaded.url == request.url and loaded.priority == 3
    store.close()


def test_a_spill_file_holds_only_what_is_beyond_the_budget_and_is_removed(tmp_path):
    store = DiskStore(tmp_path, durable=False)
    store.open(Pages())
    kept = Request("http://x.example/kept")
    assert store.add(kept, "x", 0, False, in_memory=True)
    assert store.add(Request("http://x.example/spilled"), "x", 0, False, in_memory=False)
    store.commit()
    assert [row[2] for row in rows(store)] == [0]
    (loaded,) = store.load("x", 0, False, 5, newest_first=True)
    assert loaded.url == "http://x.example/spilled"
    store.commit()
    assert rows(store) == []
    store.close()
    assert not store.path.exists()


def test_a_row_the_spider_can_no_longer_load_is_logged_and_skipped(tmp_path, caplog):
    store = DiskStore(tmp_path, durable=True)
    store.open(Pages())
    store.add(Request("http://x.example/a", callback=Pages().parse_page), "x", 0, False, in_memory=False)
    store.add(Request("http://x.example/b"), "x", 0, False, in_memory=False)
    store.close()

    class Renamed(Spider):  # parse_page is gone
        name = "pages"

    reopened = DiskStore(tmp_path, durable=True)
    reopened.open(Renamed())
    with caplog.at_level(logging.ERROR):
        loaded = reopened.load("x", 0, False, 5, newest_first=False)
    assert [r.url for r in loaded] == ["http://x.example/b"]
    assert reopened.unloadable == 1
    assert "Could not restore a request" in caplog.text and "parse_page" in caplog.text
    reopened.close()


def test_an_unserializable_request_is_reported_once_and_not_stored(tmp_path):
    reported = []
    store = DiskStore(tmp_path, durable=True, on_unserializable=lambda r, e: reported.append(r))
    store.open(Pages())
    request = Request("http://x.example/a", meta={"f": lambda: None})
    assert not store.add(request, "x", 0, False, in_memory=True)
    assert not store.evict(request, "x", 0, False)
    assert reported == [request]
    store.close()


async def test_a_killed_frontier_resumes_what_it_had_not_acknowledged(tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job"), "CONCURRENT_REQUESTS_PER_DOMAIN": 100}
    first = Frontier.from_crawler(get_crawler(settings_dict=settings))
    first.open(Pages())
    for n in range(5):
        first.push(Request(f"http://x.example/{n}"))
    done, in_flight = first.next_request(), first.next_request()
    first.ack(done)
    first.store.commit()
    first.df.commit()
    crash(first.store)

    crawler = get_crawler(settings_dict=settings)
    second = Frontier.from_crawler(crawler)
    second.open(Pages())
    assert len(second) == 4
    assert crawler.stats.get_value("scheduler/resumed") == 4
    assert crawler.stats.get_value("scheduler/resumed/in_flight") == 1
    urls = set()
    while (request := second.next_request()) is not None:
        urls.add(request.url)
        second.ack(request)
    assert in_flight.url in urls and done.url not in urls and len(urls) == 4
    # The dupefilter remembers all five: none is pushed again by a page that links to it.
    assert not second.push(Request("http://x.example/0"))
    second.close("finished")


async def test_fingerprints_reach_requests_seen_only_with_the_requests_they_stand_for(tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job")}
    frontier = Frontier.from_crawler(get_crawler(settings_dict=settings))
    frontier.open(Pages())
    frontier.push(Request("http://x.example/a"))
    seen_file = tmp_path / "job" / "requests.seen"
    assert seen_file.read_bytes() == b""  # not before the request's row is committed
    frontier._keep_house()
    assert len(seen_file.read_bytes()) == 22  # 2-byte length + 20-byte fingerprint
    frontier.close("finished")


@pytest.mark.parametrize("queue", ["ascrapy.squeues.PickleFifoDiskQueue", "ascrapy.squeues.MarshalFifoDiskQueue"])
async def test_jobdir_order_comes_from_the_disk_queue_class(tmp_path, queue):
    settings = {"JOBDIR": str(tmp_path / "job"), "SCHEDULER_DISK_QUEUE": queue,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 100}
    frontier = Frontier.from_crawler(get_crawler(settings_dict=settings))
    frontier.open(Pages())
    for n in range(3):
        frontier.push(Request(f"http://x.example/{n}"))
    frontier.store.commit()
    (blob,) = sqlite3.connect(frontier.store.path).execute("SELECT data FROM requests LIMIT 1").fetchone()
    decode = marshal.loads if "Marshal" in queue else pickle.loads
    assert decode(blob)["url"] == "http://x.example/0"
    assert [frontier.next_request().url[-1] for _ in range(3)] == ["0", "1", "2"]
    frontier.close("finished")
