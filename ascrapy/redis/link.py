"""The Redis frontier's one connection to Redis: what it writes and reads, batched.

The frontier's own methods never wait (pushing must not block the crawl); they leave work
here, and one task sends it: acknowledgements with the requests their pages found (one
script call for many pages), requests pushed outside any page (start requests), takes of
new requests, lease renewals. Nothing is forgotten on an error: what was not sent is sent
again once Redis answers; after REDIS_RECONNECT_TIMEOUT seconds without an answer the
frontier is told, and stops the crawl.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ascrapy.redis import scripts
from ascrapy.redis.connection import masked

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger("scrapy_redis.scheduler")

Push = tuple[str, float, bytes]  # (dedupe marker, "" for dont_filter; score; member)
ARGS_PER_CALL = 3000  # members and pushes per script call (keeps each call short for Redis)
BACKOFF_FIRST, BACKOFF_MAX = 0.1, 5.0
EMPTY_QUEUE_RECHECK = 0.1  # after a take found the queue empty, ask again this much later


@dataclass
class Keys:
    queue: str
    dupefilter: str
    leases: str = field(init=False)
    leased: str = field(init=False)

    def __post_init__(self) -> None:
        self.leases = f"{self.queue}:leases"
        self.leased = f"{self.queue}:leased"


class RedisLink:
    """Sends the frontier's work to Redis in batches (see the module docstring)."""

    def __init__(self, client: Redis, url: str, keys: Keys, kind: str, dedupe: str, *,
                 lease_seconds: float, reconnect_timeout: float, stats: Any,
                 on_taken: Callable[[list[bytes]], None], on_lost: Callable[[BaseException], None]) -> None:
        self.client = client
        self.url = masked(url)
        self.keys = keys
        self.kind = kind
        self.dedupe = dedupe
        self.lease_ms = int(lease_seconds * 1000)
        self.reconnect_timeout = reconnect_timeout
        self.stats = stats
        self.on_taken = on_taken
        self.on_lost = on_lost
        self._take = client.register_script(scripts.TAKE)
        self._ack = client.register_script(scripts.ACK_AND_PUSH)
        self._renew = client.register_script(scripts.RENEW)
        self._release = client.register_script(scripts.RELEASE)
        self._acks: list[bytes] = []
        self._pushes: list[Push] = []
        self._returns: list[bytes] = []  # taken, not to be crawled here: back to the queue
        self._wanted = 0
        self._take_after = 0.0  # loop time: the queue was empty; our own pushes make it earlier
        self.leased: set[bytes] = set()  # members taken and not acknowledged
        self._wake = asyncio.Event()
        self._passes: list[asyncio.Future[None]] = []  # waiting for the next send pass to end
        self._sending = False
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    # -- what the frontier asks for (none of these wait) ----------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def push(self, marker: str, score: float, member: bytes) -> None:
        self._pushes.append((marker, score, member))
        self._kick()

    def ack(self, member: bytes | None, children: list[Push]) -> None:
        if member is not None:
            self._acks.append(member)
        self._pushes.extend(children)
        self._kick()

    def give_back(self, members: list[bytes]) -> None:
        """Put requests taken and not started back in the queue, for other workers."""
        self._returns.extend(members)
        self._kick()

    def want(self, count: int) -> None:
        """Take up to ``count`` more requests (what is already asked for counts)."""
        if count > self._wanted:
            self._wanted = count
            self._kick()

    def want_none(self) -> None:
        self._wanted = 0

    @property
    def sending(self) -> bool:
        return bool(self._acks or self._pushes or self._returns) or self._sending

    async def drained(self) -> None:
        """Until every acknowledgement and push so far is in Redis (or the link has given up
        on Redis: the frontier knows from ``on_lost``)."""
        while self.sending:
            if self._task is None or self._task.done():
                return
            waiter = asyncio.get_running_loop().create_future()
            self._passes.append(waiter)
            self._kick()
            await waiter

    async def counts(self) -> tuple[int, int]:
        """(queued, leased) in Redis now, for every worker of the spider."""
        pipe = self.client.pipeline(transaction=False)
        if self.kind == "z":
            pipe.zcard(self.keys.queue)
        else:
            pipe.llen(self.keys.queue)
        pipe.zcard(self.keys.leases)
        queued, leased = await self._call(pipe.execute)
        return int(queued), int(leased)

    async def close(self, unstarted: list[bytes]) -> None:
        """Send what is left, give the requests taken and not started back to the queue."""
        self.give_back(unstarted)
        await self.drained()
        self._closing = True
        self._kick()
        if self._task is not None:
            await self._task

    # -- the task ---------------------------------------------------------------------------

    def _kick(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        renew_every = max(self.lease_ms / 3000, 0.05)
        loop = asyncio.get_running_loop()
        next_renewal = loop.time() + renew_every
        try:
            while not (self._closing and not self.sending):
                taking = self._wanted and loop.time() >= self._take_after
                if not (self._acks or self._pushes or self._returns or taking):
                    wake_at = min(next_renewal, self._take_after) if self._wanted else next_renewal
                    timer = loop.call_at(wake_at, self._wake.set)
                    await self._wake.wait()
                    timer.cancel()
                self._wake.clear()
                self._sending = True
                try:
                    await self._send()
                finally:
                    self._sending = False
                self._end_pass()
                if loop.time() >= next_renewal:
                    await self._renew_leases()
                    next_renewal = loop.time() + renew_every
        except asyncio.CancelledError:
            raise
        except Exception as error:  # Redis away for longer than the crawl waits
            self.on_lost(error)
        finally:
            self._end_pass()

    def _end_pass(self) -> None:
        passes, self._passes = self._passes, []
        for waiter in passes:
            if not waiter.done():
                waiter.set_result(None)

    async def _send(self) -> None:
        while self._returns:
            returns = self._returns[:ARGS_PER_CALL]
            await self._call(self._release, keys=[self.keys.queue, self.keys.leases, self.keys.leased],
                             args=[self.kind, *returns])
            del self._returns[:len(returns)]
            self.leased.difference_update(returns)
        while self._acks or self._pushes:
            acks, pushes = self._acks[:ARGS_PER_CALL], self._pushes[:ARGS_PER_CALL]
            args: list[Any] = [self.kind, self.dedupe, len(acks), *acks]
            for marker, score, member in pushes:
                args += (marker, score, member)
            added = await self._call(self._ack, keys=[self.keys.queue, self.keys.leases, self.keys.leased,
                                                      self.keys.dupefilter], args=args)
            del self._acks[:len(acks)], self._pushes[:len(pushes)]
            self.leased.difference_update(acks)
            filtered = sum(1 for marker, _, _ in pushes if marker) - (int(added) - sum(
                1 for marker, _, _ in pushes if not marker))
            self.stats.inc_value("scheduler/enqueued/redis", int(added))
            if filtered:
                self.stats.inc_value("dupefilter/filtered", filtered)
            if added:
                self._take_after = 0.0
        loop = asyncio.get_running_loop()
        if self._wanted and not self._closing and loop.time() >= self._take_after:
            taken, requeued = await self._call(
                self._take, keys=[self.keys.queue, self.keys.leases, self.keys.leased],
                args=[self._wanted, self.lease_ms, self.kind, ARGS_PER_CALL],
            )
            if requeued:
                logger.info("Put %(count)d requests whose lease expired back in the queue (a worker stopped)",
                            {"count": requeued})
                self.stats.inc_value("scheduler/requeued/redis", int(requeued))
            self.leased.update(taken)
            # What the queue could not give is still wanted: asked again after our next push
            # lands, or a moment later (another worker's may).
            self._wanted = max(self._wanted - len(taken), 0)
            if self._wanted:
                self._take_after = loop.time() + EMPTY_QUEUE_RECHECK
            self.on_taken(taken)

    async def _renew_leases(self) -> None:
        members = list(self.leased)
        for start in range(0, len(members), ARGS_PER_CALL):
            await self._call(self._renew, keys=[self.keys.leases], args=[self.lease_ms, *members[start:start + ARGS_PER_CALL]])

    async def _call(self, function: Callable[..., Any], **kwargs: Any) -> Any:
        """One round trip; while Redis does not answer, try again with backoff, up to
        REDIS_RECONNECT_TIMEOUT seconds (then the error goes up)."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.reconnect_timeout
        delay = BACKOFF_FIRST
        while True:
            try:
                result = await function(**kwargs)
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                if loop.time() + delay > give_up:
                    raise
                logger.warning("Redis at %(url)s does not answer (%(error)s); trying again in %(delay).1fs",
                               {"url": self.url, "error": error, "delay": delay})
                self.stats.inc_value("redis/reconnects")
                await asyncio.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX)
                continue
            self.stats.inc_value("redis/round_trips")
            return result
