"""The extensions' periodic calls: timing, stop, errors."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ascrapy.utils.asyncio import LoopingCall, create_looping_call


async def test_calls_now_and_every_interval_until_stopped():
    calls = []
    looping = create_looping_call(calls.append, "tick")
    looping.start(0.02)
    assert calls == ["tick"] and looping.running
    await asyncio.sleep(0.09)
    looping.stop()
    seen = len(calls)
    assert 3 <= seen <= 6
    await asyncio.sleep(0.05)
    assert len(calls) == seen and not looping.running


async def test_now_false_waits_one_interval():
    calls = []
    looping = LoopingCall(calls.append, 1)
    looping.start(0.03, now=False)
    assert calls == []
    await asyncio.sleep(0.045)
    looping.stop()
    assert calls == [1]


async def test_rejects_a_bad_interval_and_a_second_start():
    looping = LoopingCall(lambda: None)
    with pytest.raises(ValueError):
        looping.start(0)
    looping.start(1)
    with pytest.raises(RuntimeError):
        looping.start(1)
    looping.stop()


async def test_an_error_is_logged_and_stops_the_calls(caplog):
    calls = []

    def fail() -> None:
        calls.append(1)
        raise ZeroDivisionError

    looping = LoopingCall(fail)
    with caplog.at_level(logging.ERROR):
        looping.start(0.01)
        await asyncio.sleep(0.05)
    assert calls == [1]
    assert not looping.running
    assert "Error calling the AsyncioLoopingCall function" in caplog.text


async def test_a_function_returning_a_coroutine_is_refused():
    async def job() -> None:
        pass

    looping = LoopingCall(job)
    with pytest.raises(TypeError, match="must not return a coroutine"):
        looping.start(1)
    assert not looping.running
