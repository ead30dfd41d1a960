"""deprecated, inthread, defers and _warn_spider_arg."""

from __future__ import annotations

import asyncio
import threading
import warnings
from contextvars import ContextVar

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.decorators import _warn_spider_arg, defers, deprecated, inthread

request_id: ContextVar[str] = ContextVar("request_id", default="none")


def test_deprecated_with_and_without_a_replacement():
    @deprecated
    def old():
        return 1

    @deprecated("new_function")
    def older(value):
        return value

    @deprecated()
    def oldest():
        return 3

    with pytest.warns(ScrapyDeprecationWarning, match=r"^Call to deprecated function old\.$"):
        assert old() == 1
    with pytest.warns(ScrapyDeprecationWarning, match=r"older\. Use new_function instead\."):
        assert older(2) == 2
    with pytest.warns(ScrapyDeprecationWarning, match="oldest"):
        assert oldest() == 3
    assert older.__name__ == "older"


async def test_inthread_runs_in_another_thread_with_the_callers_context():
    @inthread
    def blocking(value):
        return value, threading.current_thread() is threading.main_thread(), request_id.get()

    request_id.set("r-1")
    future = blocking(5)
    assert isinstance(future, asyncio.Future)
    assert await future == (5, False, "r-1")


async def test_inthread_errors_reach_the_awaiter():
    @inthread
    def broken():
        raise OSError("disk")

    with pytest.raises(OSError, match="disk"):
        await broken()


async def test_defers_always_gives_a_future():
    with pytest.warns(ScrapyDeprecationWarning, match="@defers is deprecated"):

        @defers
        def maybe(fail):
            if fail:
                raise ValueError("no")
            return "yes"

    assert await maybe(False) == "yes"
    with pytest.raises(ValueError):
        await maybe(True)


class Component:
    @_warn_spider_arg
    def process(self, item, spider=None):
        return item

    @_warn_spider_arg
    async def process_async(self, item, spider=None):
        return item

    @_warn_spider_arg
    async def process_gen(self, item, spider=None):
        yield item


async def test_warn_spider_arg_for_each_kind_of_function():
    component = Component()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert component.process(1) == 1
        assert await component.process_async(2) == 2
        assert [x async for x in component.process_gen(3)] == [3]
    message = r"Passing a 'spider' argument to Component\.process\(\) is deprecated"
    with pytest.warns(ScrapyDeprecationWarning, match=message):
        component.process(1, "spider")
    with pytest.warns(ScrapyDeprecationWarning, match=message):
        component.process(1, spider="spider")
    with pytest.warns(ScrapyDeprecationWarning, match="process_async"):
        await component.process_async(2, spider="spider")
    with pytest.warns(ScrapyDeprecationWarning, match="process_gen"):
        assert [x async for x in component.process_gen(3, "spider")] == [3]
