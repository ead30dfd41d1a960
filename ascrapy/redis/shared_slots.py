"""Polite as one: with REDIS_SHARED_SLOTS, a site sees from ten workers what it sees from one.

Each download slot has, in Redis, the set of transfers under way (across every worker of
the spider, each with an expiry so that a dead worker's places come back) and the time the
next transfer may start. A transfer starts once a script grants it a place: fewer than the
slot's concurrency under way (CONCURRENT_REQUESTS_PER_DOMAIN, or DOWNLOAD_SLOTS), and the
slot's delay (DOWNLOAD_DELAY, varied by its jitter) over since the last start by any worker.
A refused worker waits as long as the script says (the delay), or a short while when the
slot is full. One round trip per transfer, and one to give the place back.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from typing import TYPE_CHECKING, Any

from ascrapy.redis import scripts

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from ascrapy.engine.slots import Slot

FULL_RECHECK_MS = 20  # how soon a worker refused by a full slot asks again


class RedisSharedSlots:
    """A SharedGate (ascrapy.engine.politeness) on Redis; keys ``<prefix>:slots:<key>``."""

    def __init__(self, client: Redis, prefix: str, token_ms: int, stats: Any) -> None:
        self.client = client
        self.prefix = prefix
        self.token_ms = token_ms
        self.stats = stats
        self._enter = client.register_script(scripts.ENTER_SHARED_SLOT)
        self._tokens = (f"{os.getpid()}-{id(self):x}-{n}" for n in itertools.count())
        self._releases: set[asyncio.Task[Any]] = set()

    def _keys(self, slot: Slot) -> list[str]:
        base = f"{self.prefix}:slots:{slot.key}"
        return [f"{base}:transfers", f"{base}:next"]

    async def acquire(self, slot: Slot) -> object:
        token = next(self._tokens)
        keys = self._keys(slot)
        while True:
            delay_ms = int(slot.download_delay() * 1000)
            wait = int(await self._enter(keys=keys, args=[token, slot.concurrency, delay_ms, self.token_ms]))
            self.stats.inc_value("redis/round_trips")
            if wait == 0:
                return token
            self.stats.inc_value("redis/shared_slots/waits")
            await asyncio.sleep((wait if wait > 0 else FULL_RECHECK_MS) / 1000)

    def release(self, slot: Slot, token: object) -> None:
        # the asyncio client's commands are coroutines; redis' types say "Awaitable | value"
        removal = self.client.zrem(self._keys(slot)[0], str(token))
        task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(removal)  # type: ignore[arg-type]
        self._releases.add(task)
        task.add_done_callback(self._released)

    def _released(self, task: asyncio.Task[Any]) -> None:
        self._releases.discard(task)
        if not task.cancelled() and task.exception() is None:
            self.stats.inc_value("redis/round_trips")
        # A failed release costs only the token's lifetime: the place expires in Redis.

    async def close(self) -> None:
        if self._releases:
            await asyncio.gather(*self._releases, return_exceptions=True)
