"""Spider middlewares that look at one object at a time, run without a generator per layer.

Most built-in spider middlewares (Depth, Referer, UrlLength, MetaCopyDetection, Start)
subclass BaseSpiderMiddleware and only override get_processed_request / get_processed_item.
Chaining them as Scrapy does costs an async generator per middleware per response and a
resumption per middleware per yielded object: the main cost of a crawl that yields many
requests. Consecutive such middlewares become one ``ObjectHooks`` layer: one loop that calls
only the hooks a middleware overrides. Behaviour is the same: a hook that raises stops its
layer and its exception goes to process_spider_exception of the middlewares after it.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any, TypeVar

from ascrapy.http import Request
from ascrapy.middleware.spider.base import BaseSpiderMiddleware

Hook = Callable[[Any, Any], Any]
UnboundHook = TypeVar("UnboundHook", bound=Callable[..., Any])  # a middleware method, before binding


def is_per_object(mw: Any) -> bool:
    """True for a BaseSpiderMiddleware subclass that keeps the base output methods."""
    cls = type(mw)
    return (
        isinstance(mw, BaseSpiderMiddleware)
        and cls.process_spider_output is BaseSpiderMiddleware.process_spider_output
        and cls.process_spider_output_async is BaseSpiderMiddleware.process_spider_output_async
    )


def mark_start(error: BaseException, start: int) -> None:
    """Record where in the chain exception handling resumes for an error a hook raised."""
    try:
        error._spidermw_start = start  # type: ignore[attr-defined]
    except AttributeError:
        pass


class AsyncTail:
    """Yielded last by a synchronous chain whose recovery output is asynchronous."""

    __slots__ = ("iterable",)

    def __init__(self, iterable: AsyncIterable[Any]) -> None:
        self.iterable = iterable


def start_only(hook: UnboundHook) -> UnboundHook:
    """Mark a ``get_processed_request`` that leaves requests with a response untouched (it
    only acts on start requests): callback output then skips the call. An override in a
    subclass is a new function, without the mark."""
    hook._ascrapy_start_only = True  # type: ignore[attr-defined]
    return hook


class ObjectHooks:
    """The hooks of consecutive per-object middlewares at chain positions first..last, for
    callback output (there is always a response: start output goes through process_start)."""

    __slots__ = ("first", "last", "requests", "items", "starters")

    def __init__(self, entries: list[tuple[int, Any]]) -> None:
        self.first = entries[0][0]
        self.last = entries[-1][0]
        self.requests: list[tuple[int, Hook]] = []
        self.items: list[tuple[int, Hook]] = []
        self.starters: list[tuple[int, Callable[[Any], None]]] = []
        for index, mw in entries:
            cls = type(mw)
            hook = cls.get_processed_request
            if hook is not BaseSpiderMiddleware.get_processed_request and not getattr(
                hook, "_ascrapy_start_only", False
            ):
                self.requests.append((index, mw.get_processed_request))
            if cls.get_processed_item is not BaseSpiderMiddleware.get_processed_item:
                self.items.append((index, mw.get_processed_item))
            if cls.start_output is not BaseSpiderMiddleware.start_output:
                self.starters.append((index, mw.start_output))

    def from_position(self, start: int) -> ObjectHooks:
        """The part of this layer at chain positions >= start (resuming after a handler)."""
        if start <= self.first:
            return self
        trimmed = object.__new__(ObjectHooks)
        trimmed.first, trimmed.last = start, self.last
        trimmed.requests = [entry for entry in self.requests if entry[0] >= start]
        trimmed.items = [entry for entry in self.items if entry[0] >= start]
        trimmed.starters = [entry for entry in self.starters if entry[0] >= start]
        return trimmed

    def start(self, response: Any) -> None:
        if response is not None:
            for _, starter in self.starters:
                starter(response)

    def apply(self, obj: Any, response: Any) -> Any:
        """``obj`` after every hook, or None when one dropped it."""
        for index, hook in self.requests if isinstance(obj, Request) else self.items:
            try:
                obj = hook(obj, response)
            except Exception as error:
                mark_start(error, index + 1)
                raise
            if obj is None:
                return None
        return obj

    async def run_async(self, source: AsyncIterable[Any], response: Any) -> AsyncIterator[Any]:
        apply = self.apply
        async for obj in source:
            if (obj := apply(obj, response)) is not None:
                yield obj

    def run_sync(self, source: Iterable[Any], response: Any, recover: Callable[[Exception], Any]) -> Iterator[Any]:
        """The hooks over synchronous output, in one generator, with apply() written out
        (this loop runs for every object a callback yields, and a call per object costs);
        an exception from the source or a hook ends the output with ``recover(error)``,
        which may raise it again."""
        requests, items = self.requests, self.items
        try:
            for obj in source:
                for index, hook in requests if isinstance(obj, Request) else items:
                    try:
                        obj = hook(obj, response)
                    except Exception as error:
                        mark_start(error, index + 1)
                        raise
                    if obj is None:
                        break
                else:
                    yield obj
        except Exception as error:
            yield recover(error)
