"""The engine's own aiostream operators: worker pool, merge, batching by size or time."""

from __future__ import annotations

import asyncio

import pytest
from aiostream import stream

from ascrapy.engine.operators import into_sinks, merged, pulled, worker_pool


async def collect(xs):
    async with xs.stream() as streamer:
        return [item async for item in streamer]


class Gauge:
    """How many handlers run at once, and the most that ever did."""

    def __init__(self):
        self.running = self.peak = 0

    async def busy(self, seconds=0.01):
        self.running += 1
        self.peak = max(self.peak, self.running)
        await asyncio.sleep(seconds)
        self.running -= 1


async def test_worker_pool_runs_at_most_n_at_once_and_yields_everything():
    gauge = Gauge()

    async def handler(n):
        await gauge.busy()
        yield n
        yield -n

    out = await collect(stream.iterate(range(20)) | worker_pool.pipe(handler, 4))
    assert sorted(out) == sorted(list(range(20)) + [-n for n in range(20)])
    assert gauge.peak == 4


async def test_worker_pool_takes_next_element_only_when_a_worker_is_free():
    taken = []

    async def source():
        for n in range(10):
            taken.append(n)
            yield n

    gate = asyncio.Event()

    async def handler(n):
        await gate.wait()
        yield n

    async def consume():
        return await collect(stream.iterate(source()) | worker_pool.pipe(handler, 2))

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.05)
    assert taken == [0, 1]  # two workers busy: nothing more was pulled from the source
    gate.set()
    assert sorted(await task) == list(range(10))


async def test_worker_pool_takes_coroutine_handlers_with_one_or_no_output():
    gauge = Gauge()

    async def handler(n):
        await gauge.busy()
        return None if n % 2 else n  # None: nothing to pass on

    out = await collect(stream.iterate(range(20)) | worker_pool.pipe(handler, 3))
    assert sorted(out) == list(range(0, 20, 2))
    assert gauge.peak == 3

    async def failing(n):
        if n == 5:
            raise RuntimeError("engine bug")
        return n

    with pytest.raises(RuntimeError, match="engine bug"):
        await collect(stream.iterate(range(10)) | worker_pool.pipe(failing, 2))


async def test_worker_pool_surfaces_a_handler_bug_as_the_stream_error():
    async def handler(n):
        if n == 3:
            raise RuntimeError("engine bug")
        yield n

    with pytest.raises(RuntimeError, match="engine bug"):
        await collect(stream.iterate(range(10)) | worker_pool.pipe(handler, 2))


async def test_pulled_ends_when_pull_returns_none():
    values = iter([1, 2, 3, None, 4])

    async def pull():
        return next(values)

    assert await collect(pulled(pull)) == [1, 2, 3]


async def test_merged_interleaves_all_sources():
    async def slow():
        for n in range(3):
            await asyncio.sleep(0.01)
            yield f"slow{n}"

    out = await collect(merged(slow(), stream.iterate(["a", "b"])))
    assert sorted(out) == ["a", "b", "slow0", "slow1", "slow2"]


class RecordingSink:
    def __init__(self, size, timeout, delay=0.0):
        self.batch_size = size
        self.batch_timeout = timeout
        self.batches = []
        self.delay = delay

    async def write_batch(self, items):
        await asyncio.sleep(self.delay)
        self.batches.append(list(items))


async def test_into_sinks_gives_every_sink_every_item_in_its_own_batches():
    small, large = RecordingSink(2, 5.0), RecordingSink(10, 5.0)
    out = await collect(stream.iterate(range(5)) | into_sinks.pipe([small, large]))
    assert out == [0, 1, 2, 3, 4]
    assert small.batches == [[0, 1], [2, 3], [4]]
    assert large.batches == [[0, 1, 2, 3, 4]]


async def test_into_sinks_applies_back_pressure_from_a_slow_sink():
    sink = RecordingSink(1, 5.0, delay=0.05)
    produced = 0

    async def source():
        nonlocal produced
        for n in range(20):
            produced += 1
            yield n

    task = asyncio.create_task(collect(stream.iterate(source()) | into_sinks.pipe([sink])))
    await asyncio.sleep(0.12)
    assert produced < 10  # the bounded queue holds the producer back
    await task
    assert [b[0] for b in sink.batches] == list(range(20))


async def test_into_sinks_writes_what_arrived_within_the_timeout_when_the_source_is_slow():
    sink = RecordingSink(100, 0.05)

    async def slow():
        for n in range(3):
            yield n
            await asyncio.sleep(0.15)

    out = await collect(stream.iterate(slow()) | into_sinks.pipe([sink]))
    assert out == [0, 1, 2]
    assert sink.batches == [[0], [1], [2]]


async def test_into_sinks_a_writer_that_dies_ends_the_stream_instead_of_hanging():
    class Broken(RecordingSink):
        async def write_batch(self, items):
            raise RuntimeError("the sink wrapper has a bug")

    produced = 0

    async def source():
        nonlocal produced
        for n in range(100):  # far more than the dead writer's queue holds
            produced += 1
            yield n

    async with asyncio.timeout(10):  # a hang guard only
        with pytest.raises(RuntimeError, match="the sink wrapper has a bug"):
            await collect(stream.iterate(source()) | into_sinks.pipe([RecordingSink(1, 5.0), Broken(1, 5.0)]))
    assert produced < 100


async def test_into_sinks_acknowledges_only_batches_that_landed():
    class Refusing(RecordingSink):
        async def write_batch(self, items):
            await super().write_batch(items)
            return 3 not in items  # False: neither written nor kept anywhere

    landed = []
    sinks = [RecordingSink(2, 5.0), Refusing(2, 5.0)]
    out = await collect(stream.iterate(range(6)) | into_sinks.pipe(sinks, landed=landed.append))
    assert out == list(range(6))
    assert sorted(landed) == [0, 1, 4, 5]
