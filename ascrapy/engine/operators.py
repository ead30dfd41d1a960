"""The aiostream operators the engine is made of.

aiostream's own ``map(..., task_limit=K)`` costs tens to hundreds of microseconds per item
and grows with the tasks in flight, so the concurrent stages here are fixed pools of workers
fed through Channels (lighter than asyncio.Queue). Errors inside a stage are the stage's
business (they become values and never reach these operators); an exception that does reach
them is an engine bug and ends the stream, as aiostream does.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar

from aiostream import operator, pipable_operator, streamcontext

from ascrapy.engine.channel import TIMED_OUT, Channel

T = TypeVar("T")
U = TypeVar("U")

_END = object()


class _Raised:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


@operator
async def pulled(pull: Callable[[], Awaitable[T | None]]) -> AsyncIterator[T]:
    """A source that awaits ``pull()`` for each element and ends when it returns None."""
    while (item := await pull()) is not None:
        yield item


@operator
async def merged(*sources: AsyncIterable[T]) -> AsyncIterator[T]:
    """Interleave several sources as their elements come (one queue, one pump per source).

    aiostream's ``merge`` creates a task per element; this costs one queue hop instead.
    """
    queue: Channel[Any] = Channel(maxsize=max(len(sources), 1))

    async def pump(source: AsyncIterable[T]) -> None:
        try:
            async with streamcontext(source) as streamer:
                async for item in streamer:
                    await queue.put(item)
        except Exception as error:
            await queue.put(_Raised(error))
        await queue.put(_END)

    pumps = [asyncio.create_task(pump(source)) for source in sources]
    try:
        running = len(pumps)
        while running:
            item = await queue.get()
            if item is _END:
                running -= 1
                continue
            if type(item) is _Raised:
                raise item.error
            yield item
    finally:
        await _stop_tasks(pumps)


async def _stop_tasks(tasks: list[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pipable_operator
async def worker_pool(
    source: AsyncIterable[T],
    handler: Callable[[T], AsyncIterator[U]] | Callable[[T], Awaitable[U | None]],
    workers: int,
    buffer: int = 0,
) -> AsyncIterator[U]:
    """Run ``handler`` on each element with ``workers`` fixed workers; yield what they yield.

    ``handler`` is an async generator function (any number of outputs per element) or a
    coroutine function (one output, or none when it returns None: no generator per element).

    The next element is taken from ``source`` only when a worker is free, so a source that
    decides what comes next (the frontier) decides as late as possible. Outputs wait in a
    queue of ``buffer`` places (default: ``workers``): a slow consumer stops the workers.
    """
    async with streamcontext(source) as streamer:
        inbox: Channel[Any] = Channel()
        outbox: Channel[Any] = Channel(maxsize=buffer or workers)
        idle = asyncio.Semaphore(workers)

        async def dispatch() -> None:
            try:
                while True:
                    await idle.acquire()
                    try:
                        item = await anext(streamer)
                    except StopAsyncIteration:
                        break
                    inbox.put_nowait(item)
            except Exception as error:  # an engine bug: end the stream with it
                await outbox.put(_Raised(error))
            finally:
                for _ in range(workers):
                    inbox.put_nowait(_END)

        async def work() -> None:
            put = outbox.put
            while (item := await inbox.get()) is not _END:
                try:
                    async for result in handler(item):  # type: ignore[union-attr]
                        await put(result)
                except Exception as error:
                    await put(_Raised(error))
                finally:
                    idle.release()

        async def call() -> None:
            put = outbox.put
            while (item := await inbox.get()) is not _END:
                try:
                    if (result := await handler(item)) is not None:  # type: ignore[misc]
                        await put(result)
                except Exception as error:
                    await put(_Raised(error))
                finally:
                    idle.release()

        async def run() -> None:
            await asyncio.gather(dispatcher, *workers_tasks)
            await outbox.put(_END)

        dispatcher = asyncio.create_task(dispatch())
        worker = work if inspect.isasyncgenfunction(handler) else call
        workers_tasks = [asyncio.create_task(worker()) for _ in range(workers)]
        closer = asyncio.create_task(run())
        try:
            while (result := await outbox.get()) is not _END:
                if type(result) is _Raised:
                    raise result.error
                yield result
        finally:
            await _stop_tasks([closer, dispatcher, *workers_tasks])


_FLUSH: Any = object()


class FlushSwitch:
    """Lets the engine tell the batch stage to write partial batches at once instead of at
    their timeout: while nothing else can progress until they land (see engine.acks)."""

    def __init__(self) -> None:
        self.queues: list[Channel[Any]] = []
        self.hurried = False

    def hurry(self) -> None:
        """Write what is waiting now, and each element as it comes, until ``relax``."""
        if not self.hurried:
            self.hurried = True
            for queue in self.queues:
                queue.put_nowait(_FLUSH)  # wakes a collector waiting for its timeout

    def relax(self) -> None:
        self.hurried = False


async def collect_batch(
    queue: Channel[Any], size: int, timeout: float, switch: FlushSwitch | None = None
) -> tuple[list[Any], bool]:
    """Take up to ``size`` elements, waiting at most ``timeout`` s after the first one (not
    at all while ``switch`` is hurried).

    Returns the batch and whether the end marker was reached. Elements already queued are
    taken without waiting; only an empty queue costs a timed wait.
    """
    batch: list[Any] = []
    first = await queue.get()
    while first is _FLUSH:  # nothing to write yet
        first = await queue.get()
    if first is _END:
        return batch, True
    batch.append(first)
    deadline = asyncio.get_running_loop().time() + timeout
    while len(batch) < size:
        if len(queue):
            item = queue.get_nowait()
        elif switch is not None and switch.hurried:
            break
        else:
            item = await queue.get_before(deadline)
        if item is TIMED_OUT or item is _FLUSH:
            break
        if item is _END:
            return batch, True
        batch.append(item)
    return batch, False


class BatchSink(Protocol):
    """What ``into_sinks`` writes to: a batch size, a timeout, and an async write that
    returns False when the batch did not land (neither written nor kept elsewhere)."""

    batch_size: int
    batch_timeout: float

    async def write_batch(self, items: list[Any]) -> bool | None: ...


def _itself(element: Any) -> Any:
    return element


_OUTBOX_SIZE = 64


@pipable_operator
async def into_sinks(
    source: AsyncIterable[T],
    sinks: list[BatchSink],
    landed: Callable[[T], None] | None = None,
    flush: FlushSwitch | None = None,
    item_of: Callable[[T], Any] = _itself,
) -> AsyncIterator[T]:
    """Hand every element's item (``item_of``) to each sink, which writes batches by its own
    size and timeout; call ``landed(element)`` once every sink has written it. A batch whose
    write returns False has not landed: its elements are never acknowledged.

    Each sink has a bounded queue: a slow sink holds back the stream (back-pressure) instead
    of buffering without end. Elements pass through once every sink has queued them. At the
    end each sink flushes its last partial batch before the operator finishes.

    The producer (a pump from ``source`` into the queues) and the writers run as one group:
    if any of them fails, the others are cancelled and the error ends the stream, so a
    writer that dies cannot leave the producer waiting on its full queue.
    """
    async with streamcontext(source) as streamer:
        if not sinks:
            async for element in streamer:
                if landed is not None:
                    landed(element)
                yield element
            return
        queues: list[Channel[Any]] = [Channel(maxsize=max(sink.batch_size, 1) * 2) for sink in sinks]
        outbox: Channel[Any] = Channel(maxsize=_OUTBOX_SIZE)  # elements on their way downstream
        if flush is not None:
            flush.queues = queues
        # How many sinks still have to write each element, when there are several.
        remaining: dict[int, int] = {}
        shared = len(sinks) > 1

        def written(batch: list[T]) -> None:
            if landed is None:
                return
            for element in batch:
                if shared:
                    key = id(element)
                    left = remaining[key] - 1
                    if left:
                        remaining[key] = left
                        continue
                    del remaining[key]
                landed(element)

        async def drain(sink: BatchSink, queue: Channel[Any]) -> None:
            ended = False
            while not ended:
                batch, ended = await collect_batch(queue, sink.batch_size, sink.batch_timeout, flush)
                if batch and await sink.write_batch([item_of(element) for element in batch]) is not False:
                    written(batch)

        async def pump() -> None:
            async for element in streamer:
                if shared:
                    remaining[id(element)] = len(sinks)
                for queue in queues:
                    await queue.put(element)
                await outbox.put(element)
            for queue in queues:
                await queue.put(_END)
            await asyncio.gather(*writers)
            await outbox.put(_END)

        def member_done(task: asyncio.Task[None]) -> None:
            if not task.cancelled() and (error := task.exception()) is not None:
                outbox.put_nowait(_Raised(error))  # wakes the reader below at once

        writers = [asyncio.create_task(drain(s, q)) for s, q in zip(sinks, queues, strict=True)]
        members = [*writers, asyncio.create_task(pump())]
        for member in members:
            member.add_done_callback(member_done)
        try:
            while (element := await outbox.get()) is not _END:
                if type(element) is _Raised:
                    raise element.error
                yield element
        finally:
            if flush is not None:
                flush.queues = []
            for member in members:
                member.remove_done_callback(member_done)
            await _stop_tasks(members)
