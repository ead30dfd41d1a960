"""Periodic calls on the running asyncio loop (Scrapy's create_looping_call surface).

Extensions call ``create_looping_call(func).start(interval)`` and ``stop()`` the result when
the crawl ends. Calls are timed from the start, not from the end of the previous call, and a
timer handle is all that stays alive between calls: no task per extension.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from ascrapy.utils.deferreds import is_deferred

logger = logging.getLogger("scrapy.utils.asyncio")


class LoopingCall:
    """Calls ``func(*args, **kwargs)`` every ``interval`` seconds until stopped.

    An exception from ``func`` is logged and stops the calls, as Scrapy's
    AsyncioLoopingCall does.
    """

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._func = func
        self._args = args
        self._kwargs = kwargs
        self.interval: float | None = None
        self._started_at: float | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def running(self) -> bool:
        return self._started_at is not None

    def start(self, interval: float, now: bool = True) -> None:
        """Call every ``interval`` seconds; with ``now``, also once right away."""
        if self.running:
            raise RuntimeError("LoopingCall already running")
        if interval <= 0:
            raise ValueError("Interval must be greater than 0")
        self._loop = asyncio.get_event_loop()
        self.interval = interval
        self._started_at = time.monotonic()
        if now:
            self._call()
        if self.running:
            self._schedule()

    def stop(self) -> None:
        self.interval = self._started_at = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self) -> None:
        assert self.interval is not None and self._started_at is not None and self._loop
        elapsed = time.monotonic() - self._started_at
        wait = self.interval - (elapsed % self.interval)
        self._handle = self._loop.call_later(wait, self._tick)

    def _tick(self) -> None:
        self._handle = None
        if not self.running:
            return
        self._call()
        if self.running:
            self._schedule()

    def _call(self) -> None:
        try:
            result = self._func(*self._args, **self._kwargs)
        except Exception:
            logger.exception("Error calling the AsyncioLoopingCall function")
            self.stop()
            return
        if asyncio.iscoroutine(result) or is_deferred(result):
            if asyncio.iscoroutine(result):
                result.close()
            self.stop()
            raise TypeError("The AsyncioLoopingCall function must not return a coroutine or a Deferred")


def create_looping_call(func: Callable[..., Any], *args: Any, **kwargs: Any) -> LoopingCall:
    """A not yet started LoopingCall of ``func``; a module-level name tests can replace."""
    return LoopingCall(func, *args, **kwargs)


AsyncioLoopingCall = LoopingCall


def is_asyncio_available() -> bool:
    """Always True: ascrapy runs on asyncio (Scrapy asks because it may run on Twisted)."""
    return True


class CallLaterResult:
    """A delayed call that can be cancelled even after it ran or was cancelled."""

    _timer_handle: asyncio.TimerHandle | None = None

    @classmethod
    def from_asyncio(cls, timer_handle: asyncio.TimerHandle) -> CallLaterResult:
        result = cls()
        result._timer_handle = timer_handle
        return result

    def cancel(self) -> None:
        if self._timer_handle is not None:
            self._timer_handle.cancel()
            self._timer_handle = None


def call_later(delay: float, func: Callable[..., object], *args: Any) -> CallLaterResult:
    """Call ``func(*args)`` after ``delay`` seconds on the running loop."""
    return CallLaterResult.from_asyncio(asyncio.get_event_loop().call_later(delay, func, *args))


async def sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def run_in_thread(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a blocking function in a worker thread without blocking the loop."""
    return await asyncio.to_thread(func, *args, **kwargs)
