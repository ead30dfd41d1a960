"""Channel: order, bounds, deadlines, and nothing lost when a waiting task is cancelled."""

from __future__ import annotations

import asyncio

import pytest

from ascrapy.engine.channel import TIMED_OUT, Channel


async def test_elements_come_out_in_order_to_waiting_getters():
    channel: Channel[int] = Channel()
    getters = [asyncio.create_task(channel.get()) for _ in range(3)]
    await asyncio.sleep(0)
    for n in range(3):
        channel.put_nowait(n)
    assert await asyncio.gather(*getters) == [0, 1, 2]
    assert len(channel) == 0
    with pytest.raises(IndexError):
        channel.get_nowait()


async def test_put_waits_while_full_and_put_nowait_does_not():
    channel: Channel[int] = Channel(maxsize=2)
    await channel.put(1)
    await channel.put(2)
    blocked = asyncio.create_task(channel.put(3))
    await asyncio.sleep(0.01)
    assert not blocked.done() and len(channel) == 2
    channel.put_nowait(4)  # a producer that must not wait goes past the bound
    assert len(channel) == 3
    assert [channel.get_nowait(), channel.get_nowait()] == [1, 2]
    await asyncio.wait_for(blocked, 1)
    assert [await channel.get(), await channel.get()] == [4, 3]


async def test_get_before_times_out_then_takes_what_comes():
    channel: Channel[str] = Channel()
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await channel.get_before(started + 0.05) is TIMED_OUT
    assert loop.time() - started >= 0.04
    loop.call_later(0.01, channel.put_nowait, "late")
    assert await channel.get_before(loop.time() + 5) == "late"
    assert await channel.get_before(loop.time() - 1) is TIMED_OUT  # a past deadline: no wait
    channel.put_nowait("ready")
    assert await channel.get_before(loop.time() - 1) == "ready"  # queued elements need no time


@pytest.mark.parametrize("timed", [False, True])
async def test_a_cancelled_getter_passes_its_wake_up_on(timed):
    channel: Channel[str] = Channel()
    loop = asyncio.get_running_loop()

    def get():
        return channel.get_before(loop.time() + 5) if timed else channel.get()

    first, second = asyncio.create_task(get()), asyncio.create_task(get())
    await asyncio.sleep(0)
    channel.put_nowait("only")  # wakes the first getter...
    first.cancel()  # ...which is cancelled before it runs
    assert await asyncio.wait_for(second, 1) == "only"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_cancelled_putter_passes_its_wake_up_on():
    channel: Channel[int] = Channel(maxsize=1)
    channel.put_nowait(0)
    first, second = asyncio.create_task(channel.put(1)), asyncio.create_task(channel.put(2))
    await asyncio.sleep(0)
    assert channel.get_nowait() == 0  # room for one: wakes the first putter...
    first.cancel()  # ...which is cancelled before it runs
    await asyncio.wait_for(second, 1)
    assert channel.get_nowait() == 2
