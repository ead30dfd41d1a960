"""The frontier's memory budget: which queued requests stay in memory, which wait in the store.

Up to SCHEDULER_MEMORY_BUDGET queued requests are kept as objects in their slots' queues.
Beyond it, the store (ascrapy.engine.disk_store) takes whichever request of the slot would
leave last, so that order holds across memory and disk: with LIFO order (Scrapy's default,
depth first) the oldest request of the lowest priority, which the new one then replaces in
memory; with FIFO order the new request itself. Within a priority, memory goes first; a
slot reloads from the store (REFILL_BATCH at a time) when its memory runs out of requests
of the highest priority it has stored. A slow site never holds another back: each slot
loads its own.

With a durable store (JOBDIR) every accepted request is also recorded there, and the store
forgets it when the engine acknowledges it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ascrapy.engine.interfaces import FrontierStore
    from ascrapy.engine.queue_order import QueueOrder
    from ascrapy.engine.slots import Slot
    from ascrapy.http import Request
    from ascrapy.stats import StatsCollector

REFILL_BATCH = 64  # requests loaded from the store at a time, per slot


class MemoryBudget:
    """Keeps at most ``limit`` queued requests in memory; the rest wait in ``store``."""

    def __init__(self, store: FrontierStore, limit: int, order: QueueOrder, stats: StatsCollector) -> None:
        self.store = store
        self.limit = max(limit, 1)
        self.lifo = order.lifo
        self.start_lifo = order.start_lifo
        self.stats = stats
        self.in_memory = 0

    def record(self, request: Request, slot_key: str, is_start: bool) -> bool:
        """Record a request not queued yet (its slot is not known yet); True when durable."""
        return self.store.add(request, slot_key, request.priority, is_start, in_memory=True) and self.store.durable

    def place(self, request: Request, slot: Slot, is_start: bool, recorded: bool) -> bool:
        """Queue ``request`` in ``slot`` or in the store; True when the store keeps it
        durably. ``recorded``: the store already has it."""
        store = self.store
        priority = request.priority
        if self.in_memory >= self.limit and self._spill(request, slot, priority, is_start, recorded):
            return store.durable
        if not recorded:
            recorded = store.add(request, slot.key, priority, is_start, in_memory=True)
        slot.push(request, priority, is_start)
        self.in_memory += 1
        return recorded and store.durable

    def taken(self, request: Request) -> None:
        """``request`` left the queue for download."""
        self.in_memory -= 1
        self.store.lease(request)

    def _spill(self, request: Request, slot: Slot, priority: int, is_start: bool, recorded: bool) -> bool:
        """The budget is spent: store whichever request of ``slot`` would leave last (see the
        module docstring). False when nothing could be stored (``request`` then stays)."""
        store = self.store
        if self.lifo and not is_start and slot.size and priority >= slot.lowest_priority():
            victim = slot.evictable()
            if victim is not None:
                if store.evict(victim, slot.key, victim.priority, False):
                    slot.count_stored(victim.priority, False, 1)
                    self.stats.inc_value("scheduler/spilled")
                    if not recorded:
                        store.add(request, slot.key, priority, is_start, in_memory=True)
                    slot.push(request, priority, is_start)
                    return True
                slot.unevict(victim)  # it cannot be stored: it keeps its place
        if recorded:
            stored = store.evict(request, slot.key, priority, is_start)
        else:
            stored = store.add(request, slot.key, priority, is_start, in_memory=False)
        if stored:
            slot.count_stored(priority, is_start, 1)
            self.stats.inc_value("scheduler/spilled")
        return stored

    def refill(self, slot: Slot) -> int:
        """Load the next requests of ``slot`` from the store when they come before what it
        has in memory; returns how many stored ones could not be restored (dropped)."""
        top = max(slot.stored)
        regular_stored, _ = slot.stored[top]
        if slot.size:
            memory_top = -slot.prios[0]
            if memory_top > top or (memory_top == top and (slot.levels[top][0] or not regular_stored)):
                return 0
        is_start = not regular_stored
        lifo = self.start_lifo if is_start else self.lifo
        count = min(slot.stored[top][1 if is_start else 0], REFILL_BATCH)
        loaded = self.store.load(slot.key, top, is_start, count, newest_first=lifo)
        for request in reversed(loaded) if lifo else loaded:
            slot.push(request, top, is_start)
        self.in_memory += len(loaded)
        slot.count_stored(top, is_start, -count)
        lost = count - len(loaded)
        if not slot.size and slot.stored_size:  # nothing loadable at this level: the next one
            lost += self.refill(slot)
        return lost
