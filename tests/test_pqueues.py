"""Priority queues (scrapy.pqueues): priorities, start requests, persistence, slot fairness."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ascrapy import Request, Spider
from ascrapy.pqueues import DownloaderAwarePriorityQueue, ScrapyPriorityQueue, _path_safe
from ascrapy.squeues import FifoMemoryQueue, LifoMemoryQueue, PickleFifoDiskQueue, PickleLifoDiskQueue
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler
from tests.sched_helpers import slot_request, with_fake_engine


@pytest.fixture
def crawler():
    crawler = get_crawler(Spider)
    crawler.spider = crawler._create_spider("pq")
    return with_fake_engine(crawler)


def names(queue) -> list[str]:
    out = []
    while (request := queue.pop()) is not None:
        out.append(request.url.rsplit("/", 1)[1])
    return out


def req(name: str, priority: int = 0, start: bool = False) -> Request:
    meta = {"is_start_request": True} if start else {}
    return Request(f"http://a.example/{name}", priority=priority, meta=meta)


def priority_queue(crawler, downstream=LifoMemoryQueue, key="", startprios=(), start=FifoMemoryQueue):
    return build_from_crawler(
        ScrapyPriorityQueue, crawler, downstream_queue_cls=downstream, key=key, startprios=startprios,
        start_queue_cls=start,
    )


# -- ScrapyPriorityQueue ----------------------------------------------------------------


@pytest.mark.parametrize(("downstream", "expected"), [(FifoMemoryQueue, "hbcad"), (LifoMemoryQueue, "hcbda")])
def test_higher_priority_first_then_the_downstream_order(crawler, downstream, expected):
    queue = priority_queue(crawler, downstream)
    for name, priority in [("a", 0), ("b", 5), ("c", 5), ("d", 0), ("h", 9)]:
        queue.push(req(name, priority))
    assert len(queue) == 5
    assert "".join(names(queue)) == expected
    assert len(queue) == 0


def test_start_requests_pop_after_others_of_the_same_priority_in_their_own_order(crawler):
    queue = priority_queue(crawler)  # others LIFO, start requests FIFO
    for request in [req("s1", start=True), req("r1"), req("s2", start=True), req("r2"), req("s0", 1, start=True),
                    req("low", -1)]:
        queue.push(request)
    assert names(queue) == ["s0", "r2", "r1", "s1", "s2", "low"]


def test_without_a_start_queue_class_start_requests_are_ordinary(crawler):
    queue = priority_queue(crawler, start=None)
    for request in [req("s1", start=True), req("r1"), req("s2", start=True)]:
        queue.push(request)
    assert names(queue) == ["s2", "r1", "s1"]


def test_peek_shows_what_pop_returns_and_leaves_it(crawler):
    queue = priority_queue(crawler)
    assert queue.peek() is None
    queue.push(req("s1", start=True))
    queue.push(req("r1"))
    for expected in ["r1", "s1"]:
        assert queue.peek().url.endswith(expected)
        assert len(queue) == (2 if expected == "r1" else 1)
        assert queue.pop().url.endswith(expected)
    assert queue.peek() is None


def test_peek_on_a_downstream_queue_without_peek_is_not_implemented(crawler):
    class NoPeekQueue:
        def __init__(self, key: str) -> None:
            self.items: list[Request] = []

        def push(self, request):
            self.items.append(request)

        def pop(self):
            return self.items.pop() if self.items else None

        def close(self):
            pass

        def __len__(self):
            return len(self.items)

    queue = priority_queue(crawler, NoPeekQueue, start=None)
    queue.push(req("a"))
    with pytest.raises(NotImplementedError, match="does not implement 'peek'"):
        queue.peek()


def test_close_reports_the_priorities_still_holding_requests(crawler):
    queue = priority_queue(crawler, FifoMemoryQueue, startprios=[-1, -2, -3])
    for name, priority in [("a", 1), ("b", 2), ("c", 3), ("s", 4)]:
        queue.push(req(name, priority, start=name == "s"))
    assert [queue.pop().url[-1] for _ in range(2)] == ["s", "c"]
    assert sorted(queue.close()) == [-2, -1]


def test_on_disk_the_queues_resume_from_the_state_close_returns(crawler, tmp_path: Path):
    key = str(tmp_path / "pq")
    queue = priority_queue(crawler, PickleLifoDiskQueue, key, start=PickleFifoDiskQueue)
    for request in [req("s1", start=True), req("r1"), req("s2", start=True), req("r2"), req("hi", 3)]:
        queue.push(request)
    assert {p.name for p in Path(key).iterdir()} == {"0", "0s", "-3"}  # Scrapy's layout
    state = queue.close()
    assert sorted(state) == [-3, 0]
    reopened = priority_queue(crawler, PickleLifoDiskQueue, key, state, start=PickleFifoDiskQueue)
    assert len(reopened) == 5
    assert names(reopened) == ["hi", "r2", "r1", "s1", "s2"]
    assert reopened.close() == []
    assert not any(Path(key).iterdir())  # emptied disk queues remove their files


def test_a_push_that_cannot_be_serialized_leaves_no_queue_behind(crawler, tmp_path: Path):
    key = tmp_path / "pq"
    queue = priority_queue(crawler, PickleFifoDiskQueue, str(key))
    queue.push(req("kept"))
    with pytest.raises(ValueError):
        queue.push(Request("http://a.example/x", priority=4, meta={"hook": lambda: None}))
    assert len(queue) == 1
    assert queue.close() == [0]
    assert [p.name for p in key.iterdir()] == ["0"]


# -- DownloaderAwarePriorityQueue -------------------------------------------------------


def aware_queue(crawler, key="", downstream=FifoMemoryQueue, startprios=None):
    return build_from_crawler(
        DownloaderAwarePriorityQueue, crawler, downstream_queue_cls=downstream, key=key, startprios=startprios
    )


def slots_popped(queue, count: int) -> list[str]:
    return [queue.pop().meta["download_slot"] for _ in range(count)]


def test_the_slot_with_fewest_active_downloads_pops_first(crawler):
    downloader = crawler.engine.downloader
    queue = aware_queue(crawler)
    for slot in "abc":
        queue.push(slot_request(slot, "1"))
    downloader.start(slot_request("a", "busy"))
    downloader.start(slot_request("a", "busy2"))
    downloader.start(slot_request("c", "busy"))
    assert queue.peek().meta["download_slot"] == "b"
    assert slots_popped(queue, 3) == ["b", "c", "a"]


def test_tied_slots_take_turns(crawler):
    queue = aware_queue(crawler)
    for name in "12":
        for slot in "ba":
            queue.push(slot_request(slot, name))
    assert slots_popped(queue, 4) == ["a", "b", "a", "b"]


def test_the_turn_goes_on_after_the_slot_served_last_empties(crawler):
    queue = aware_queue(crawler)
    for slot, name in [("a", "1"), ("a", "2"), ("b", "1"), ("c", "1")]:
        queue.push(slot_request(slot, name))
    assert slots_popped(queue, 4) == ["a", "b", "c", "a"]
    assert queue.pop() is None


def test_peek_does_not_move_the_turn(crawler):
    queue = aware_queue(crawler)
    for slot in "ab":
        queue.push(slot_request(slot, "1"))
    assert queue.peek().meta["download_slot"] == "a"
    assert queue.peek().meta["download_slot"] == "a"
    assert slots_popped(queue, 2) == ["a", "b"]


def test_fair_across_slots_when_each_pop_starts_a_download(crawler):
    downloader = crawler.engine.downloader
    queue = aware_queue(crawler)
    for name in "12":
        for slot in "abc":
            queue.push(slot_request(slot, name))
    popped = []
    while (request := queue.pop()) is not None:
        downloader.start(request)
        popped.append(request.meta["download_slot"])
    assert sorted(popped[:3]) == sorted(popped[3:]) == ["a", "b", "c"]


def test_priorities_hold_within_a_slot_and_contains_names_slots(crawler):
    queue = aware_queue(crawler)
    queue.push(slot_request("a", "low", priority=-1))
    queue.push(slot_request("a", "high", priority=2))
    assert "a" in queue and "b" not in queue
    assert len(queue) == 2
    assert names(queue) == ["high", "low"]
    assert "a" not in queue


def test_concurrent_requests_per_ip_is_refused(crawler):
    ip_crawler = with_fake_engine(get_crawler(Spider, {"CONCURRENT_REQUESTS_PER_IP": 2}))
    with pytest.warns(Warning), pytest.raises(ValueError, match="does not support CONCURRENT_REQUESTS_PER_IP"):
        aware_queue(ip_crawler)


def test_a_state_that_is_not_a_dict_is_refused(crawler):
    with pytest.raises(ValueError, match=r"accepts ``slot_startprios`` as a dict; <class 'list'>"):
        aware_queue(crawler, startprios=[0, -1])


def test_on_disk_slots_resume_and_an_emptied_slot_directory_goes(crawler, tmp_path: Path):
    key = tmp_path / "aware"
    queue = aware_queue(crawler, str(key), PickleFifoDiskQueue)
    queue.push(slot_request("a.b:8080", "1"))
    queue.push(slot_request("c", "1", priority=1))
    queue.push(slot_request("c", "2"))
    slot_dirs = {_path_safe("a.b:8080"), _path_safe("c")}
    assert {p.name for p in key.iterdir()} == slot_dirs
    state = queue.close()
    assert state == {"a.b:8080": [0], "c": [-1, 0]}
    reopened = aware_queue(crawler, str(key), PickleFifoDiskQueue, state)
    assert len(reopened) == 3
    assert reopened.pop().meta["download_slot"] == "a.b:8080"
    assert {p.name for p in key.iterdir()} == {_path_safe("c")}
    assert names(reopened) == ["1", "2"]
    assert not any(key.iterdir())


def test_path_safe_keeps_safe_characters_and_tells_lookalikes_apart():
    digest = hashlib.md5(b"some@symbol?").hexdigest()
    assert _path_safe("some@symbol?") == f"some_symbol_-{digest}"
    assert _path_safe("dash-underscore_.org").startswith("dash-underscore_.org-")
    assert _path_safe("a/b") != _path_safe("a?b")
