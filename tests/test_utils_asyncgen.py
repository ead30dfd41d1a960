"""as_async_generator and collect_asyncgen."""

from __future__ import annotations

import inspect

from ascrapy.utils.asyncgen import as_async_generator, collect_asyncgen


async def test_a_sync_iterable_becomes_an_async_generator():
    wrapped = as_async_generator(iter(range(5)))
    assert inspect.isasyncgen(wrapped)
    assert [value async for value in wrapped] == [0, 1, 2, 3, 4]


async def test_an_async_iterator_keeps_its_values_and_order():
    async def source():
        for letter in "abc":
            yield letter

    assert await collect_asyncgen(as_async_generator(source())) == ["a", "b", "c"]


async def test_a_sync_iterable_is_read_lazily():
    read = []

    def source():
        for number in range(3):
            read.append(number)
            yield number

    wrapped = as_async_generator(source())
    assert await anext(wrapped) == 0
    assert read == [0]
    assert await collect_asyncgen(wrapped) == [1, 2]


async def test_collect_an_empty_iterator():
    assert await collect_asyncgen(as_async_generator([])) == []
