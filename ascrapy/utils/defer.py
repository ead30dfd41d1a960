"""scrapy.utils.defer without Twisted: the same helpers over asyncio awaitables and Futures.

Where Scrapy hands out a Deferred, these hand out an asyncio Future (or the awaitable they
were given), so code written as ``await maybe_deferred_to_future(x)`` keeps working. A
Twisted Deferred is still accepted when Twisted happens to be imported by the user's own
code (it is converted with ``Deferred.asFuture``); ascrapy itself never imports Twisted.
Helpers whose only meaning is a Twisted reactor raise :class:`TwistedRequiredError`,
which names the asyncio way to do the same.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Iterator
from typing import Any, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.failure import Failure
from ascrapy.utils.deferreds import is_deferred, warn_deferred

__all__ = [
    "TwistedRequiredError",
    "aiter_errback",
    "defer_fail",
    "defer_result",
    "defer_succeed",
    "deferred_f_from_coro_f",
    "deferred_from_coro",
    "deferred_to_future",
    "ensure_awaitable",
    "iter_errback",
    "maybeDeferred_coro",
    "maybe_deferred_to_future",
    "mustbe_deferred",
    "parallel",
    "parallel_async",
    "process_chain",
    "process_parallel",
]

_T = TypeVar("_T")


class TwistedRequiredError(NotImplementedError):
    """A helper that only makes sense with a Twisted reactor, which ascrapy does not run."""


def _twisted_only(name: str, instead: str) -> TwistedRequiredError:
    return TwistedRequiredError(
        f"scrapy.utils.defer.{name}() works on Twisted Deferreds and the Twisted reactor, "
        f"which ascrapy does not use (it runs on asyncio only). Instead: {instead}"
    )


def _current_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop()


# -- Twisted-only helpers ---------------------------------------------------------------------


def defer_fail(_failure: Any) -> Any:
    raise _twisted_only(
        "defer_fail",
        "raise the exception from a coroutine, or future.set_exception() on "
        "asyncio.get_running_loop().create_future(), after `await asyncio.sleep(0.1)` if "
        "the delay matters.",
    )


def defer_succeed(result: Any) -> Any:
    raise _twisted_only(
        "defer_succeed",
        "return the value from a coroutine, or future.set_result() on "
        "asyncio.get_running_loop().create_future(), after `await asyncio.sleep(0.1)` if "
        "the delay matters.",
    )


def defer_result(result: Any) -> Any:
    raise _twisted_only(
        "defer_result",
        "return or raise from a coroutine (ensure_awaitable() turns a plain value into an "
        "awaitable), after `await asyncio.sleep(0.1)` if the delay matters.",
    )


def mustbe_deferred(f: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    raise _twisted_only(
        "mustbe_deferred",
        "await ensure_awaitable(f(*args)) in a coroutine, preceded by "
        "`await asyncio.sleep(0)` to let the loop run first; maybeDeferred_coro() returns an "
        "asyncio Future right away.",
    )


# -- awaitables and Futures -------------------------------------------------------------------


def deferred_from_coro(o: Any) -> Any:
    """Start a coroutine (or wrap any awaitable) as an asyncio Future; other values pass through.

    A Future is returned as it is, and so is a Twisted Deferred. Scrapy returns a Deferred
    here; the Future plays its part: the work starts now, and it can be awaited later.
    """
    if is_deferred(o) or asyncio.isfuture(o):
        return o
    if inspect.isawaitable(o):
        return asyncio.ensure_future(o)
    return o


def deferred_f_from_coro_f(coro_f: Callable[..., Awaitable[_T]]) -> Callable[..., Any]:
    """Wrap a coroutine function so that each call returns a started asyncio Future."""

    @functools.wraps(coro_f)
    def started(*args: Any, **kwargs: Any) -> Any:
        return deferred_from_coro(coro_f(*args, **kwargs))

    return started


def deferred_to_future(d: Any) -> Any:
    """Something to await for ``d``: an awaitable is returned as it is.

    A Twisted Deferred becomes an asyncio Future of the current loop.
    """
    if is_deferred(d):
        return d.asFuture(_current_loop())
    if inspect.isawaitable(d):
        return d
    raise TypeError(f"deferred_to_future() expects an awaitable, got {type(d).__name__}")


def maybe_deferred_to_future(d: Any) -> Any:
    """The same as :func:`deferred_to_future`: with asyncio alone there is only one case."""
    return deferred_to_future(d)


def ensure_awaitable(o: Any, _warn: str | None = None) -> Awaitable[Any]:
    """An awaitable for any value: awaitables as they are, anything else as its result.

    ``_warn`` names the function that returned ``o``; a Deferred from it is deprecated.
    """
    if is_deferred(o):
        if _warn:
            warn_deferred(_warn, stacklevel=2)
        return maybe_deferred_to_future(o)
    if inspect.isawaitable(o):
        return o
    return _completed(o)


async def _completed(value: _T) -> _T:
    return value


def _future_from_call(f: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """Call ``f`` now; its result, exception or awaited result as an asyncio Future."""
    try:
        result = f(*args, **kw)
    except Exception as error:
        future = _current_loop().create_future()
        future.set_exception(error)
        return future
    if is_deferred(result) or asyncio.isfuture(result):
        return result
    if inspect.isawaitable(result):
        return asyncio.ensure_future(result)
    future = _current_loop().create_future()
    if isinstance(result, Failure):
        future.set_exception(result.value)
    else:
        future.set_result(result)
    return future


def maybeDeferred_coro(f: Callable[..., Any], *args: Any, **kw: Any) -> Any:  # noqa: N802 - Scrapy's name
    """Deprecated: call ``f`` and return its outcome as an asyncio Future (coroutines started)."""
    warnings.warn(
        "maybeDeferred_coro() is deprecated and will be removed in a future Scrapy version.",
        ScrapyDeprecationWarning,
        stacklevel=2,
    )
    return _future_from_call(f, *args, **kw)


def _schedule_coro(coro: Coroutine[Any, Any, Any]) -> None:
    """Run ``coro`` as a task nobody waits for (keep the result of deferred_from_coro instead
    when errors matter)."""
    _current_loop().create_task(coro)  # noqa: RUF006


async def _process_pending_io() -> None:
    """Let the loop poll its sockets once and run their callbacks before going on.

    One yield may resume before the ready sockets' callbacks run; after a second one they
    have run.
    """
    await asyncio.sleep(0)
    await asyncio.sleep(0)


# -- iteration with errbacks ------------------------------------------------------------------


def iter_errback(iterable: Iterable[_T], errback: Callable[..., Any], *a: Any, **kw: Any) -> Iterator[_T]:
    """Iterate ``iterable``, handing each exception it raises to ``errback(Failure, *a, **kw)``
    and going on (a generator that raised is finished, so iteration ends there)."""
    iterator = iter(iterable)
    while True:
        try:
            value = next(iterator)
        except StopIteration:
            return
        except Exception:
            errback(Failure(), *a, **kw)
            continue
        yield value


async def aiter_errback(
    aiterable: AsyncIterator[_T], errback: Callable[..., Any], *a: Any, **kw: Any
) -> AsyncIterator[_T]:
    """The async counterpart of :func:`iter_errback`."""
    iterator = aiter(aiterable)
    while True:
        try:
            value = await anext(iterator)
        except StopAsyncIteration:
            return
        except Exception:
            errback(Failure(), *a, **kw)
            continue
        yield value


# -- concurrency ------------------------------------------------------------------------------


async def _outcome(awaitable: Awaitable[Any]) -> tuple[bool, Any]:
    try:
        return True, await awaitable
    except Exception as error:
        return False, Failure(error)


async def _call_awaiting(callable_: Callable[..., Any], element: Any, args: Any, named: Any) -> None:
    result = callable_(element, *args, **named)
    if is_deferred(result) or inspect.isawaitable(result):
        await ensure_awaitable(result)


def parallel(iterable: Iterable[Any], count: int, callable: Callable[..., Any], *args: Any, **named: Any) -> Any:  # noqa: A002
    """Call ``callable(element, *args, **named)`` on every element with at most ``count``
    calls in progress; awaitable results are awaited.

    Returns a started asyncio Future with one ``(success, result)`` pair per worker: a
    worker that meets an error stops there (``(False, Failure)``), the others go on.
    """
    iterator = iter(iterable)

    async def worker() -> None:
        for element in iterator:
            await _call_awaiting(callable, element, args, named)

    return asyncio.ensure_future(_gather_outcomes(worker, count))


def parallel_async(
    async_iterable: AsyncIterator[Any], count: int, callable: Callable[..., Any], *args: Any, **named: Any  # noqa: A002
) -> Any:
    """:func:`parallel` for an async iterator, which the workers read one at a time."""
    iterator = aiter(async_iterable)
    reading = asyncio.Lock()

    async def worker() -> None:
        while True:
            async with reading:  # an async generator refuses concurrent anext() calls
                try:
                    element = await anext(iterator)
                except StopAsyncIteration:
                    return
            await _call_awaiting(callable, element, args, named)

    return asyncio.ensure_future(_gather_outcomes(worker, count))


async def _gather_outcomes(worker: Callable[[], Awaitable[None]], count: int) -> list[tuple[bool, Any]]:
    return list(await asyncio.gather(*(_outcome(worker()) for _ in range(max(count, 1)))))


def process_chain(callbacks: Iterable[Callable[..., Any]], input: Any, *a: Any, **kw: Any) -> Any:  # noqa: A002
    """Deprecated: pass ``input`` through the callbacks in turn (awaiting awaitable results);
    a started asyncio Future of the last result."""
    warnings.warn("process_chain() is deprecated.", category=ScrapyDeprecationWarning, stacklevel=2)

    async def chain() -> Any:
        value = input
        for callback in callbacks:
            value = callback(value, *a, **kw)
            if is_deferred(value) or inspect.isawaitable(value):
                value = await ensure_awaitable(value)
        return value

    return asyncio.ensure_future(chain())


def process_parallel(callbacks: Iterable[Callable[..., Any]], input: Any, *a: Any, **kw: Any) -> Any:  # noqa: A002
    """Deprecated: call every callback on ``input`` concurrently; a started asyncio Future of
    their results in order, failing with the first error."""
    warnings.warn("process_parallel() is deprecated.", category=ScrapyDeprecationWarning, stacklevel=2)

    async def one(callback: Callable[..., Any]) -> Any:
        return await ensure_awaitable(callback(input, *a, **kw))

    async def all_of() -> list[Any]:
        return list(await asyncio.gather(*(one(callback) for callback in callbacks)))

    return asyncio.ensure_future(all_of())
