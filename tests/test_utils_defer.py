"""scrapy.utils.defer's helpers on asyncio: Futures instead of Deferreds."""

from __future__ import annotations

import asyncio
import warnings

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.failure import Failure
from ascrapy.utils.asyncgen import as_async_generator, collect_asyncgen
from ascrapy.utils.defer import (
    TwistedRequiredError,
    _process_pending_io,
    aiter_errback,
    defer_fail,
    defer_result,
    defer_succeed,
    deferred_f_from_coro_f,
    deferred_from_coro,
    deferred_to_future,
    ensure_awaitable,
    iter_errback,
    maybe_deferred_to_future,
    maybeDeferred_coro,
    mustbe_deferred,
    parallel,
    parallel_async,
    process_chain,
    process_parallel,
)


def failing_at_five():
    for number in range(10):
        if number == 5:
            raise ZeroDivisionError
        yield number


async def async_failing_at_five():
    for number in range(10):
        if number == 5:
            raise ZeroDivisionError
        yield number


def test_iter_errback_passes_values_and_reports_the_error():
    errors: list[Failure] = []
    assert list(iter_errback(range(4), errors.append)) == [0, 1, 2, 3]
    assert errors == []
    assert list(iter_errback(failing_at_five(), errors.append)) == [0, 1, 2, 3, 4]
    [failure] = errors
    assert isinstance(failure, Failure) and isinstance(failure.value, ZeroDivisionError)


def test_iter_errback_goes_on_with_an_iterator_that_can_continue():
    class Flaky:
        def __init__(self):
            self.calls = 0

        def __iter__(self):
            return self

        def __next__(self):
            self.calls += 1
            if self.calls == 2:
                raise ValueError("once")
            if self.calls > 3:
                raise StopIteration
            return self.calls

    seen = []
    assert list(iter_errback(Flaky(), lambda failure, tag: seen.append((tag, failure.getErrorMessage())), "t")) == [1, 3]
    assert seen == [("t", "once")]


async def test_aiter_errback():
    errors: list[Failure] = []
    assert await collect_asyncgen(aiter_errback(as_async_generator(range(3)), errors.append)) == [0, 1, 2]
    assert await collect_asyncgen(aiter_errback(async_failing_at_five(), errors.append)) == [0, 1, 2, 3, 4]
    assert [type(f.value) for f in errors] == [ZeroDivisionError]


async def test_deferred_from_coro_starts_the_coroutine_as_a_future():
    started = []

    async def work():
        started.append(True)
        await asyncio.sleep(0.01)
        return 42

    future = deferred_from_coro(work())
    assert isinstance(future, asyncio.Future)
    await asyncio.sleep(0)
    assert started == [True]  # running without anyone awaiting it
    assert await future == 42
    assert deferred_from_coro(future) is future
    assert deferred_from_coro(42) == 42


async def test_deferred_f_from_coro_f():
    async def double(value):
        return value * 2

    wrapped = deferred_f_from_coro_f(double)
    future = wrapped(21)
    assert isinstance(future, asyncio.Future)
    assert await future == 42
    assert wrapped.__name__ == "double"


async def test_deferred_to_future_returns_awaitables_as_they_are():
    future = asyncio.get_running_loop().create_future()
    assert deferred_to_future(future) is future
    assert maybe_deferred_to_future(future) is future
    future.set_result(1)

    async def coro():
        return 2

    pending = coro()
    assert maybe_deferred_to_future(pending) is pending
    assert await pending == 2
    with pytest.raises(TypeError):
        deferred_to_future(3)


async def test_ensure_awaitable():
    assert await ensure_awaitable(5) == 5
    future = asyncio.get_running_loop().create_future()
    future.set_result("done")
    assert ensure_awaitable(future) is future
    assert await ensure_awaitable(future) == "done"


async def test_a_twisted_deferred_is_converted_when_twisted_is_imported():
    defer = pytest.importorskip("twisted.internet.defer")
    deferred = defer.Deferred()
    with pytest.warns(ScrapyDeprecationWarning, match="my.handler returned a Deferred"):
        awaitable = ensure_awaitable(deferred, _warn="my.handler")
    assert isinstance(awaitable, asyncio.Future)
    deferred.callback(7)
    assert await awaitable == 7
    assert deferred_from_coro(deferred) is deferred


@pytest.mark.parametrize("helper", [defer_fail, defer_succeed, defer_result])
def test_twisted_only_helpers_name_the_asyncio_way(helper):
    with pytest.raises(TwistedRequiredError, match=rf"{helper.__name__}\(\).*asyncio"):
        helper(None)
    with pytest.raises(NotImplementedError):
        mustbe_deferred(lambda: None)


async def test_maybe_deferred_coro_gives_a_future_of_any_outcome():
    async def coro():
        return "awaited"

    def boom():
        raise KeyError("x")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = maybeDeferred_coro(lambda: 1)
        awaited = maybeDeferred_coro(coro)
        failed = maybeDeferred_coro(boom)
    assert [str(w.message) for w in caught] == [
        "maybeDeferred_coro() is deprecated and will be removed in a future Scrapy version."
    ] * 3
    assert await value == 1
    assert await awaited == "awaited"
    with pytest.raises(KeyError):
        await failed


async def test_parallel_never_exceeds_the_count():
    running = 0
    peak = 0
    done = []

    async def work(number, scale):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001 * (number % 3))
        running -= 1
        done.append(number * scale)

    outcome = await parallel(range(20), 4, work, 10)
    assert sorted(done) == [n * 10 for n in range(20)]
    assert peak == 4
    assert outcome == [(True, None)] * 4


async def test_parallel_async_reads_one_value_at_a_time_and_mixes_sync_results():
    running = 0
    peak = 0
    done = []

    async def source():
        for number in range(30):
            if number % 7 == 0:
                await asyncio.sleep(0.001)
            yield number

    def work(number):
        if number % 2:
            done.append(number)
            return None

        async def later():
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.002)
            running -= 1
            done.append(number)

        return later()

    await parallel_async(source(), 5, work)
    assert sorted(done) == list(range(30))
    assert 1 < peak <= 5


async def test_a_failing_parallel_worker_stops_alone():
    done = []

    def work(number):
        if number == 2:
            raise ValueError("bad element")
        done.append(number)

    outcome = await parallel(range(6), 2, work)
    assert sorted(done) == [0, 1, 3, 4, 5]
    assert sorted(success for success, _ in outcome) == [False, True]
    failure = next(result for success, result in outcome if not success)
    assert isinstance(failure.value, ValueError)


async def test_process_chain_and_process_parallel():
    async def add_one(value):
        return value + 1

    async def add(value, step):
        return value + step

    with pytest.warns(ScrapyDeprecationWarning, match="process_chain"):
        chained = process_chain([add, lambda v, k: v * k, add], 1, 10)
    assert await chained == 120  # ((1 + 10) * 10) + 10, in order

    with pytest.warns(ScrapyDeprecationWarning, match="process_parallel"):
        both = process_parallel([add_one, lambda v: v * 3], 5)
    assert await both == [6, 15]

    def boom(value):
        raise RuntimeError("first error")

    with pytest.warns(ScrapyDeprecationWarning):
        failing = process_parallel([add_one, boom], 5)
    with pytest.raises(RuntimeError, match="first error"):
        await failing


async def test_process_pending_io_lets_ready_sockets_be_read():
    import socket

    reader, writer = socket.socketpair()
    reads = []
    loop = asyncio.get_running_loop()
    loop.add_reader(reader, lambda: reads.append(reader.recv(1)))
    try:
        writer.send(b"x")
        await _process_pending_io()
        assert reads == [b"x"]
    finally:
        loop.remove_reader(reader)
        reader.close()
        writer.close()
