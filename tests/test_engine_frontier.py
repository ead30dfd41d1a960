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


# -- the gate: every download, queued or not, passes its slot's concurrency and delay ------


async def test_an_outside_download_waits_at_the_gate_until_a_transfer_ends():
    frontier = make(CONCURRENT_REQUESTS_PER_DOMAIN=1)
    frontier.push(Request("http://x.example/page"))
    page = await frontier.pull()
    assert frontier.try_enter(page)
    robots = Request("http://x.example/robots.txt")
    assert not frontier.try_enter(robots)  # the slot's one place is taken
    entering = asyncio.create_task(frontier.enter(robots))
    await asyncio.sleep(0)
    assert not entering.done()
    frontier.release(page)
    await entering
    assert frontier.slots["x.example"].transferring == {robots}
    frontier.release(robots)
    assert not frontier.slots["x.example"].active


async def test_a_handed_out_request_waits_for_the_delay_after_an_outside_download():
    """robots.txt is fetched while the page that asked for it waits in the middlewares:
    the page's transfer still keeps DOWNLOAD_DELAY after the robots.txt one."""
    frontier = make(DOWNLOAD_DELAY=0.05, DOWNLOAD_DELAY_JITTER=0)
    frontier.push(Request("http://x.example/page"))
    page = await frontier.pull()
    robots = Request("http://x.example/robots.txt")
    assert frontier.try_enter(robots)  # the page holds a reservation, not a transfer
    robots_started = asyncio.get_running_loop().time()
    frontier.release(robots)
    assert not frontier.try_enter(page)
    await frontier.enter(page)
    assert asyncio.get_running_loop().time() >= robots_started + 0.05


async def test_a_cancelled_wait_at_the_gate_gives_its_place_up():
    frontier = make(CONCURRENT_REQUESTS_PER_DOMAIN=1)
    first, second, third = (Request(f"http://x.example/{n}") for n in range(3))
    assert frontier.try_enter(first)
    waiting = asyncio.create_task(frontier.enter(second))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    frontier.release(second)  # the downloader releases whatever it tried to enter
    following = asyncio.create_task(frontier.enter(third))
    frontier.release(first)
    await following
    assert frontier.slots["x.example"].transferring == {third}


async def test_idle_slots_are_forgotten(monkeypatch):
    from ascrapy.engine import politeness

    frontier = make()
    frontier.push(Request("http://x.example/1"))
    request = await frontier.pull()
    frontier.ack(request)
    assert "x.example" in frontier.slots
    frontier.politeness.forget_idle()
    assert "x.example" in frontier.slots  # idle for less than a minute
    monkeypatch.setattr(politeness, "SLOT_IDLE_SECONDS", -1.0)
    frontier.politeness.forget_idle()
    assert "x.example" not in frontier.slots


@pytest.mark.filterwarnings("ignore:The CONCURRENT_REQUESTS_PER_IP setting is deprecated")
async def test_per_ip_requests_wait_for_their_address_instead_of_splitting_a_slot():
    frontier = make(CONCURRENT_REQUESTS_PER_IP=2)
    frontier.push(Request("http://localhost:8/by-name"))  # not looked up yet: parked
    frontier.push(Request("http://127.0.0.1:8/by-address"))
    assert len(frontier) == 2
    await frontier.politeness.addresses.looked_up("localhost")
    address = frontier.politeness.addresses.address("localhost")
    assert address in {"127.0.0.1", "::1"}
    assert "localhost" not in frontier.slots
    pulled = [await frontier.pull(), await frontier.pull()]
    assert {request.meta["download_slot"] for request in pulled} <= {"127.0.0.1", "::1"}


# -- the memory budget: beyond it, queued requests wait in the store -----------------------


async def test_requests_beyond_the_memory_budget_wait_on_disk_and_come_back_in_order(tmp_path):
    frontier = make(SCHEDULER_SPILL_DIR=str(tmp_path), SCHEDULER_MEMORY_BUDGET=10,
                    CONCURRENT_REQUESTS_PER_DOMAIN=1000)
    pushed = [(n, n % 3) for n in range(200)]
    for n, priority in pushed:
        frontier.push(Request(f"http://x.example/{n}", priority=priority))
    assert frontier.stats.get_value("scheduler/spilled") >= 190
    assert frontier.budget.in_memory <= 10
    assert len(frontier) == 200
    out = []
    while (request := frontier.next_request()) is not None:
        out.append(request)
        assert frontier.budget.in_memory <= 10 + 64  # the budget, plus one load from the store
    assert sorted(int(r.url.rsplit("/", 1)[1]) for r in out) == list(range(200))
    priorities = [r.priority for r in out]
    assert priorities == sorted(priorities, reverse=True)
    spill_files = list(tmp_path.iterdir())
    frontier.close("finished")
    assert spill_files and not any(path.exists() for path in spill_files)


async def test_lifo_order_within_a_priority_survives_the_budget(tmp_path):
    frontier = make(SCHEDULER_SPILL_DIR=str(tmp_path), SCHEDULER_MEMORY_BUDGET=3,
                    CONCURRENT_REQUESTS_PER_DOMAIN=1000)
    for n in range(20):
        frontier.push(Request(f"http://x.example/{n}"))
    assert drain(frontier) == [str(n) for n in reversed(range(20))]


async def test_fifo_order_within_a_priority_survives_the_budget(tmp_path):
    frontier = make(SCHEDULER_SPILL_DIR=str(tmp_path), SCHEDULER_MEMORY_BUDGET=3,
                    SCHEDULER_MEMORY_QUEUE="ascrapy.squeues.FifoMemoryQueue",
                    CONCURRENT_REQUESTS_PER_DOMAIN=1000)
    for n in range(20):
        frontier.push(Request(f"http://x.example/{n}"))
    assert drain(frontier) == [str(n) for n in range(20)]


async def test_a_request_that_cannot_be_stored_stays_in_memory(tmp_path):
    frontier = make(SCHEDULER_SPILL_DIR=str(tmp_path), SCHEDULER_MEMORY_BUDGET=1,
                    CONCURRENT_REQUESTS_PER_DOMAIN=1000)
    frontier.push(Request("http://x.example/a", meta={"local": lambda: None}))
    frontier.push(Request("http://x.example/b", meta={"local": lambda: None}))
    frontier.push(Request("http://x.example/c"))
    assert frontier.stats.get_value("scheduler/unserializable") >= 1
    assert sorted(drain(frontier)) == ["a", "b", "c"]
