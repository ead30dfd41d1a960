"""Small bridges between sync iterables and async iterators.

Callbacks and start() may produce either kind; code that consumes them asynchronously
wraps both into one async generator instead of branching on the type.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterable
from typing import TypeVar

__all__ = ["as_async_generator", "collect_asyncgen"]

_T = TypeVar("_T")


async def collect_asyncgen(result: AsyncIterable[_T]) -> list[_T]:
    """Every value of an async iterator, in order, as a list."""
    return [value async for value in result]


async def as_async_generator(it: Iterable[_T] | AsyncIterator[_T]) -> AsyncGenerator[_T, None]:
    """Yield the values of a sync iterable or an async iterator from one async generator."""
    if isinstance(it, AsyncIterator):
        async for value in it:
            yield value
        return
    for value in it:
        yield value
