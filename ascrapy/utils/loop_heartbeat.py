"""A heartbeat on the event loop: how late its timers run says whether the loop is stuck.

Code that blocks the loop (a CPU-bound callback, a blocking call) holds up every download
and callback of the crawl. The heartbeat asks to wake every ``interval`` seconds; the
delay beyond that is the loop's lag. While the loop is blocked nothing on it can answer
(a health probe times out); just after, the last lag tells how long it was blocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable


class LoopHeartbeat:
    """Measures the event loop's lag from a task that sleeps ``interval`` seconds at a time."""

    def __init__(self, interval: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self.last_beat: float = clock()
        self.lag: float = 0.0  # how late the last beat came
        self.max_lag: float = 0.0

    def start(self) -> None:
        if self._task is None:
            self.last_beat = self._clock()
            self._task = asyncio.get_running_loop().create_task(self._beat())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.record_beat()

    def record_beat(self) -> None:
        """One beat, ``interval`` after the previous one was due to happen."""
        now = self._clock()
        self.lag = max(now - self.last_beat - self.interval, 0.0)
        self.max_lag = max(self.max_lag, self.lag)
        self.last_beat = now

    def current_lag(self) -> float:
        """The lag now: the last beat's, or more when the next beat is already overdue."""
        overdue = self._clock() - self.last_beat - self.interval
        return max(self.lag, overdue, 0.0)
