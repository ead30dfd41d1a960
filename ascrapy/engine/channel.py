"""Channel: the FIFO the engine's operators hand elements through, between tasks of one loop.

asyncio.Queue does the same job with more steps per element, and offers no timed get but
``wait_for``, which starts a task for every wait: the batch stage would start one for each
item of a slow crawl. A Channel waits with one future, and with one timer for a deadline.
Waiters are woken, not handed items, so a waiter cancelled after its wake-up loses nothing:
it passes the wake-up on.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Generic, TypeVar

T = TypeVar("T")

TIMED_OUT: Any = object()
"""What :meth:`Channel.get_before` returns when the deadline came first."""


def _wake_first(waiters: deque[asyncio.Future[None]]) -> None:
    while waiters:
        waiter = waiters.popleft()
        if not waiter.done():
            waiter.set_result(None)
            return


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class Channel(Generic[T]):
    """Elements in order; ``put`` waits while ``maxsize`` (if not 0) elements are queued."""

    __slots__ = ("_getters", "_items", "_loop", "_maxsize", "_putters")

    def __init__(self, maxsize: int = 0) -> None:
        self._items: deque[T] = deque()
        self._getters: deque[asyncio.Future[None]] = deque()
        self._putters: deque[asyncio.Future[None]] = deque()
        self._maxsize = maxsize
        self._loop: asyncio.AbstractEventLoop | None = None

    def __len__(self) -> int:
        return len(self._items)

    def _waiter(self) -> asyncio.Future[None]:
        loop = self._loop
        if loop is None:
            loop = self._loop = asyncio.get_running_loop()
        return loop.create_future()

    def put_nowait(self, item: T) -> None:
        """Queue ``item`` whatever ``maxsize`` says (for producers that must not wait)."""
        self._items.append(item)
        if self._getters:
            _wake_first(self._getters)

    async def put(self, item: T) -> None:
        maxsize = self._maxsize
        while maxsize and len(self._items) >= maxsize:
            waiter = self._waiter()
            self._putters.append(waiter)
            try:
                await waiter
            except BaseException:
                waiter.cancel()
                if len(self._items) < maxsize:
                    _wake_first(self._putters)  # the wake-up this one may have taken
                raise
        self.put_nowait(item)

    def get_nowait(self) -> T:
        """The first element; IndexError when there is none."""
        item = self._items.popleft()
        if self._putters:
            _wake_first(self._putters)
        return item

    async def get(self) -> T:
        while not self._items:
            await self._item_or(None)
        return self.get_nowait()

    async def get_before(self, deadline: float) -> T:
        """The first element, or TIMED_OUT if none came before ``deadline`` (loop time)."""
        while not self._items:
            if (self._loop or asyncio.get_running_loop()).time() >= deadline:
                return TIMED_OUT  # type: ignore[no-any-return]  # the sentinel, not a T: callers test for it
            await self._item_or(deadline)
        return self.get_nowait()

    async def _item_or(self, deadline: float | None) -> None:
        """Wait until a put wakes this getter, or (with a deadline) until that time."""
        waiter = self._waiter()
        self._getters.append(waiter)
        timer = None if deadline is None else self._loop.call_at(deadline, _expire, waiter)  # type: ignore[union-attr]
        try:
            await waiter
        except BaseException:
            waiter.cancel()
            if self._items:
                _wake_first(self._getters)  # the wake-up this one may have taken
            raise
        finally:
            if timer is not None:
                timer.cancel()
