"""The frontier: dedupe, priority order, LIFO/FIFO, start requests, slots, pending count."""

from __future__ import annotations

import asyncio

import pytest

from ascrapy import Request
from ascrapy.engine.frontier import Frontier
from ascrapy.utils.test import get_crawler


def make(**settings):
    crawler = get_crawler(settings_dict=settings)
    frontier = Frontier.from_crawler(crawler)
    frontier.open(None)
    return frontier


def drain(frontier):
    out = []
    while (request := frontier.next_request()) is not None:
        out.append(request.url.rsplit("/", 1)[1])
        frontier.ack(request)
    return out


async def test_duplicates_are_dropped_unless_dont_filter():
    frontier = make()
    assert frontier.push(Request("http://a.example/1"))
    assert not frontier.push(Request("http://a.example/1"))
    assert frontier.push(Request("http://a.example/1", dont_filter=True))
    assert not frontier.push(Request("http://a.example/1#fragment"))
    assert len(frontier) == 2


async def test_higher_priority_first_then_lifo_by_default():
    frontier = make(CONCURRENT_REQUESTS_PER_DOMAIN=100)
    for name, priority in [("a", 0), ("b", 0), ("c", 5), ("d", -1)]:
        frontier.push(Request(f"http://x.example/{name}", priority=priority))
    assert drain(frontier) == ["c", "b", "a", "d"]


async def test_fifo_queue_setting():
    frontier = make(SCHEDULER_MEMORY_QUEUE="ascrapy.squeues.FifoMemoryQueue", CONCURRENT_REQUESTS_PER_DOMAIN=100)
    for name in "abc":
        frontier.push(Request(f"http://x.example/{name}"))
    assert drain(frontier) == ["a", "b", "c"]


async def test_start_requests_come_after_others_of_the_same_priority_in_fifo_order():
    frontier = make(CONCURRENT_REQUESTS_PER_DOMAIN=100)
    for name in ("s1", "s2"):
        frontier.push(Request(f"http://x.example/{name}", meta={"is_start_request": True}))
    frontier.push(Request("http://x.example/r1"))
    assert drain(frontier) == ["r1", "s1", "s2"]


async def test_slot_concurrency_limits_what_is_ready_until_released():
    frontier = make(CONCURRENT_REQUESTS_PER_DOMAIN=2)
    for n in range(3):
        frontier.push(Request(f"http://x.example/{n}"))
    frontier.push(Request("http://y.example/other"))
    first = [frontier.next_request() for _ in range(3)]
    assert sorted(r.url for r in first) == ["http://x.example/1", "http://x.example/2", "http://y.example/other"]
    assert frontier.next_request() is None  # x.example has two in flight
    frontier.release(first[0] if "x.example" in first[0].url else first[1])
    assert frontier.next_request().url == "http://x.example/0"


async def test_pending_counts_until_done_and_pull_ends_at_zero():
    frontier = make()
    frontier.push(Request("http://x.example/1"))
    request = await frontier.pull()
    assert frontier.pending == 1
    ended = asyncio.create_task(frontier.pull())
    await asyncio.sleep(0.01)
    assert not ended.done()  # still pending: the callback may push children
    frontier.push(Request("http://x.example/2"))
    frontier.ack(request)
    child = await ended
    assert child.url == "http://x.example/2"
    frontier.ack(child)
    assert await frontier.pull() is None


async def test_download_delay_holds_the_slot_between_transfer_starts():
    frontier = make(DOWNLOAD_DELAY=0.1, DOWNLOAD_DELAY_JITTER=0)
    for n in range(2):
        frontier.push(Request(f"http://x.example/{n}"))
    loop = asyncio.get_running_loop()
    first = await frontier.pull()
    assert frontier.next_request() is None  # its transfer has not started: nothing else yet
    assert frontier.try_enter(first)
    started = loop.time()
    frontier.release(first)
    assert frontier.next_request() is None  # the delay holds the slot
    second = await frontier.pull()
    assert loop.time() >= started + 0.1
    assert {first.url, second.url} == {"http://x.example/0", "http://x.example/1"}
    assert second.meta["download_slot"] == "x.example"


async def test_stop_makes_pull_return_none_with_work_still_queued():
    frontier = make()
    frontier.push(Request("http://x.example/1"))
    frontier.stop()
    assert await frontier.pull() is None
    assert len(frontier) == 1


async def test_pause_holds_requests_back_until_unpause():
    frontier = make()
    frontier.push(Request("http://x.example/1"))
    frontier.pause()
    pulling = asyncio.create_task(frontier.pull())
    await asyncio.sleep(0.05)
    assert not pulling.done() and len(frontier) == 1
    frontier.unpause()
    assert (await pulling).url == "http://x.example/1"
