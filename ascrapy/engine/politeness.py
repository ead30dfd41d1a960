"""Politeness: the download slots, and the gate every download passes.

A slot is a site (a domain, a DOWNLOAD_SLOTS key, or with CONCURRENT_REQUESTS_PER_IP an
address). Its gate lets at most ``concurrency`` transfers run at once and starts one at most
every ``delay`` seconds (varied by ``jitter``). Every download passes it right before the
download handler runs: the crawl's requests (the frontier reserved their place when it
handed them out), and those made outside the queue, robots.txt, media files,
``engine.download`` (they queue at the gate, first come first served). With a shared gate
(REDIS_SHARED_SLOTS), every worker of a spider counts against one concurrency and one delay.

The gate keys a request by its host's address only once the address is known, so one
address never has two slots; slots unused for a minute are forgotten, as in Scrapy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ascrapy.engine.slots import Slot, default_jitter, slot_jitter
from ascrapy.resolver import HostAddresses
from ascrapy.utils._fasturl import url_hostname

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.settings import BaseSettings

SLOT_IDLE_SECONDS = 60.0


class SharedGate(Protocol):
    """The slots' gate as seen by every worker of a spider (the Redis frontier's shared
    slots): a transfer starts once it grants a place, given back when the transfer ends."""

    async def acquire(self, slot: Slot) -> object: ...

    def release(self, slot: Slot, token: object) -> None: ...


def _unheard(slot: Slot) -> None:
    """``changed`` until a frontier listens (a downloader's gate used on its own)."""


class Politeness:
    """The slots of one crawl and their gates. ``changed(slot)`` is called whenever a slot
    may hand out a queued request again (a transfer ended, a delay is over)."""

    def __init__(self, settings: BaseSettings, changed: Callable[[Slot], None] = _unheard) -> None:
        self.slots: dict[str, Slot] = {}
        per_ip = settings.getint("CONCURRENT_REQUESTS_PER_IP")
        self.addresses = HostAddresses(timeout=settings.getfloat("DNS_TIMEOUT", 60.0)) if per_ip else None
        self._concurrency = per_ip or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.default_delay = settings.getfloat("DOWNLOAD_DELAY")  # AutoThrottle sets its start delay
        self._jitter = default_jitter(settings)
        self._overrides: dict[str, dict[str, Any]] = settings.getdict("DOWNLOAD_SLOTS")
        self.changed = changed
        self.inflight: dict[int, Slot] = {}  # id(request) -> its slot, from reservation to release
        self.loop: asyncio.AbstractEventLoop | None = None
        self.shared: SharedGate | None = None  # slots shared with other workers (ascrapy.redis)
        self._tokens: dict[int, tuple[Slot, object]] = {}  # id(request) -> what the shared gate gave

    def now(self) -> float:
        loop = self.loop
        if loop is None:
            loop = self.loop = asyncio.get_running_loop()
        return loop.time()

    # -- slots ----------------------------------------------------------------------------

    def slot_key(self, request: Request) -> str:
        """The slot of ``request``; with per-IP slots, its host's name until the address is
        known (the gate and the frontier wait for the lookup instead of using this)."""
        return self.known_slot_key(request) or url_hostname(request.url)

    def known_slot_key(self, request: Request) -> str | None:
        """The slot of ``request``, or None while its host's address is being looked up."""
        meta = request.meta_or_none
        if meta:
            key: str | None = meta.get("download_slot")
            if key is not None:
                return key
        # Not urlparse_cached: its entry would live as long as the queued request.
        host = url_hostname(request.url)
        if self.addresses is None:
            return host
        return self.addresses.address(host)

    def slot(self, key: str) -> Slot:
        slot = self.slots.get(key)
        if slot is None:
            override = self._overrides.get(key) or {}
            slot = Slot(
                int(override.get("concurrency", self._concurrency)),
                float(override.get("delay", self.default_delay)),
                slot_jitter(override, self._jitter),
                key=key,
            )
            self.slots[key] = slot
        return slot

    def forget_idle(self) -> None:
        """Drop the slots that have had nothing to do for SLOT_IDLE_SECONDS."""
        now = self.now()
        for key, slot in list(self.slots.items()):
            if slot.idle_since is not None and now - slot.idle_since > SLOT_IDLE_SECONDS and slot.is_idle():
                slot.close()
                del self.slots[key]

    def close(self) -> None:
        if self.addresses is not None:
            self.addresses.close()
        for slot in self.slots.values():
            slot.close()

    # -- the gate -------------------------------------------------------------------------

    def reserve(self, request: Request, slot: Slot) -> None:
        """The frontier hands ``request`` out: it holds a place in ``slot`` until released."""
        slot.active.add(request)
        slot.reserved += 1
        request.meta["download_slot"] = slot.key
        self.inflight[id(request)] = slot

    def may_hand_out(self, slot: Slot) -> bool:
        """Whether ``slot`` has room for one more request from the queue (its delay aside)."""
        return len(slot.active) < slot.concurrency and not slot.waiters and not (slot.delay and slot.reserved)

    def try_enter(self, request: Request) -> bool:
        """Start the transfer of ``request`` if its slot allows it now (see ``enter``); never
        with shared slots, whose gate is asked asynchronously."""
        return self.shared is None and self._enter_here(request)

    def _enter_here(self, request: Request) -> bool:
        slot = self.inflight.get(id(request))
        if slot is None:
            key = self.known_slot_key(request)
            if key is None:
                return False
            slot = self.slot(key)
            self.inflight[id(request)] = slot
            slot.active.add(request)
            slot.reserved += 1  # an outside download holds its place from here, as a popped one
            slot.idle_since = None
        elif request in slot.transferring:
            return True
        if slot.waiters or len(slot.transferring) >= slot.concurrency:
            return False
        now = 0.0
        if slot.delay:
            now = self.now()
            if now < slot.next_at:
                return False
        self._start(slot, request, now)
        return True

    async def enter(self, request: Request) -> None:
        """Wait until the slot of ``request`` allows one more transfer (CONCURRENT_REQUESTS_
        PER_DOMAIN/IP, DOWNLOAD_DELAY since the last transfer started), then start it; with
        shared slots, also until the other workers' transfers allow it. The caller releases
        the request when the transfer ends, also if this is cancelled."""
        await self._enter_locally(request)
        if self.shared is not None:
            slot = self.inflight[id(request)]
            self._tokens[id(request)] = (slot, await self.shared.acquire(slot))

    async def _enter_locally(self, request: Request) -> None:
        if self._enter_here(request):
            return
        if id(request) not in self.inflight:  # per-IP: the host's address is being looked up
            assert self.addresses is not None
            await self.addresses.looked_up(url_hostname(request.url))
            if self._enter_here(request):
                return
        slot = self.inflight[id(request)]
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        slot.waiters.append((request, waiter))
        self._admit_waiters(slot)
        try:
            await waiter
        finally:
            waiter.cancel()  # a no-op once started; else its place in the line is given up

    def release(self, request: Request) -> None:
        """The download of ``request`` ended, or never started: free its place."""
        slot = self.inflight.pop(id(request), None)
        if slot is None:
            return
        if self._tokens:
            held = self._tokens.pop(id(request), None)
            if held is not None:
                assert self.shared is not None
                self.shared.release(*held)
        if request in slot.transferring:
            slot.transferring.discard(request)
        else:
            slot.reserved -= 1
        slot.active.discard(request)
        if slot.waiters:
            self._admit_waiters(slot)
        self.changed(slot)

    def _start(self, slot: Slot, request: Request, now: float) -> None:
        slot.reserved -= 1
        slot.transferring.add(request)
        if slot.delay:
            slot.lastseen = now
            slot.next_at = now + slot.download_delay()
            self.changed(slot)

    def _admit_waiters(self, slot: Slot) -> None:
        """Start the transfers waiting at ``slot``'s gate that may start now; set the timer
        for the first one its delay holds back."""
        waiters = slot.waiters
        while waiters and len(slot.transferring) < slot.concurrency:
            request, waiter = waiters[0]
            if waiter.done():  # its task was cancelled while waiting
                waiters.popleft()
                continue
            now = 0.0
            if slot.delay:
                now = self.now()
                if now < slot.next_at:
                    self.set_timer(slot)
                    return
            waiters.popleft()
            self._start(slot, request, now)
            waiter.set_result(None)

    def set_timer(self, slot: Slot) -> None:
        """Call back when ``slot``'s delay is over."""
        if slot.timer is None:
            self.now()
            assert self.loop is not None
            slot.timer = self.loop.call_at(slot.next_at, self._delay_over, slot)

    def _delay_over(self, slot: Slot) -> None:
        slot.timer = None
        if slot.waiters:
            self._admit_waiters(slot)
        self.changed(slot)
