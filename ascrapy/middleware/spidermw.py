"""The spider middleware chain (scrapy.core.spidermw.SpiderMiddlewareManager).

A response passes process_spider_input (in order), then the callback; the callback's output
passes process_spider_output (in reverse order). An exception raised anywhere on the way is
offered to the process_spider_exception methods of the middlewares after the point where it
was raised; the first that returns an iterable takes over, and its output continues through
the rest of the output chain. Middlewares written for older Scrapy (synchronous
process_spider_output, process_start_requests) keep working.
"""

from __future__ import annotations

import inspect
import logging
import warnings
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning, _InvalidOutput
from ascrapy.failure import Failure
from ascrapy.middleware.manager import MiddlewareManager
from ascrapy.middleware.spider_hooks import AsyncTail, ObjectHooks, is_per_object
from ascrapy.utils.asyncgen import as_async_generator, collect_asyncgen
from ascrapy.utils.conf import build_component_list

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.core.spidermw")

ScrapeFunc = Callable[[Any, Any], Awaitable[Any]]


def to_async(result: Any) -> AsyncIterable[Any]:
    """A callback's or handler's output as an async iterable (None for no output)."""
    if result is None:
        return as_async_generator(())
    if hasattr(result, "__aiter__"):
        return result
    return as_async_generator(result)


def _recovering(source: Iterator[Any], recover: Callable[[Exception], Any]) -> Iterator[Any]:
    """``source``, ended by ``recover(error)`` if it raises."""
    try:
        yield from source
    except Exception as error:
        yield recover(error)


def _name(obj: Any) -> str:
    return getattr(obj, "__qualname__", repr(obj))


def _sync_output_adapter(method: Callable[..., Any]) -> Callable[..., AsyncIterator[Any]]:
    """Let a synchronous process_spider_output (Scrapy < 2.13 style) take async input."""

    async def adapted(response: Any, result: AsyncIterable[Any], **kwargs: Any) -> AsyncIterator[Any]:
        collected = await collect_asyncgen(result)
        for element in method(response=response, result=collected, **kwargs) or ():
            yield element

    adapted.__qualname__ = _name(method)
    return adapted


async def _guarded(manager: SpiderMiddlewareManager, response: Any, iterable: AsyncIterable[Any],
                   index: int, recovered: list[AsyncIterable[Any]]) -> AsyncIterator[Any]:
    """One layer of output; an exception raised while iterating it ends the layer, and the
    output of the exception chain from ``index`` (or from where a hook says) joins
    ``recovered``, to come after the whole chain's output, as in Scrapy."""
    try:
        async for element in iterable:
            yield element
    except Exception as error:
        if getattr(error, "_spidermw_unhandled", False):
            raise
        start = getattr(error, "_spidermw_start", index)
        recovered.append(manager._exception_chain(response, error, start))


async def _as_async_iterator(output: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    """The synchronous output of scrape_response, its AsyncTail (a recovery) unrolled."""
    if isinstance(output, AsyncIterable):
        async for element in output:
            yield element
        return
    for element in output:
        if isinstance(element, AsyncTail):
            async for tail_element in element.iterable:
                yield tail_element
        else:
            yield element


async def _chained(first: AsyncIterable[Any], recovered: list[AsyncIterable[Any]]) -> AsyncIterator[Any]:
    async for element in first:
        yield element
    for iterable in recovered:
        async for element in iterable:
            yield element


class SpiderMiddlewareManager(MiddlewareManager):
    """Runs callbacks and errbacks through the spider middlewares (SPIDER_MIDDLEWARES)."""

    component_name = "spider middleware"

    def __init__(self, *middlewares: Any, crawler: CrawlerProtocol | None = None) -> None:
        self._input: list[tuple[Callable[..., Any], bool]] = []
        # By chain position (None where a middleware has no such method): the async
        # process_spider_output to chain, whether it needs the spider, the middleware.
        self._output: list[tuple[Callable[..., Any], bool, Any] | None] = []
        self._exception: list[tuple[Callable[..., Any], bool] | None] = []
        self._start: list[Callable[..., Any]] = []
        self._start_requests: list[Callable[..., Any]] = []
        self._layers: list[Any] = []
        self._only_object_hooks = True
        super().__init__(*middlewares, crawler=crawler)

    @classmethod
    def _get_mwlist_from_settings(cls, settings: Any) -> list[Any]:
        return build_component_list(settings.getwithbase("SPIDER_MIDDLEWARES"))

    def _add_middleware(self, mw: Any) -> None:
        if hasattr(mw, "process_spider_input"):
            method = mw.process_spider_input
            self.methods["process_spider_input"].append(method)
            self._input.append((method, self._track_spider_arg(method)))
        if hasattr(mw, "process_start"):
            self.methods["process_start"].appendleft(mw.process_start)
            self._start.insert(0, mw.process_start)
        elif hasattr(mw, "process_start_requests"):
            self.methods["process_start_requests"].appendleft(mw.process_start_requests)
            self._start_requests.insert(0, mw.process_start_requests)
        output = self._output_method(mw)
        self.methods["process_spider_output"].appendleft(output)
        if output is None:
            self._output.insert(0, None)
        else:
            needs_spider = self._track_spider_arg(output)
            if not inspect.isasyncgenfunction(output):
                output = _sync_output_adapter(output)
            self._output.insert(0, (output, needs_spider, mw))
        exception = getattr(mw, "process_spider_exception", None)
        self.methods["process_spider_exception"].appendleft(exception)
        self._exception.insert(0, (exception, self._track_spider_arg(exception)) if exception else None)
        # Compiled again for each middleware (a few at start), so that one added later runs too.
        self._layers = self._compile_output_chain()
        self._only_object_hooks = all(isinstance(layer, ObjectHooks) for layer in self._layers)

    @staticmethod
    def _output_method(mw: Any) -> Callable[..., Any] | None:
        """The process_spider_output to chain: the async one of a "universal" middleware,
        else the plain one (synchronous in Scrapy < 2.13 style: adapted when chained)."""
        plain = getattr(mw, "process_spider_output", None)
        async_variant = getattr(mw, "process_spider_output_async", None)
        name = f"{type(mw).__module__}.{type(mw).__qualname__}"
        if async_variant is not None:
            if plain is None:
                logger.error(
                    f"Middleware {name} has process_spider_output_async() without "
                    "process_spider_output(), skipping this method. Please rename it to "
                    "process_spider_output()."
                )
                return None
            if not inspect.isasyncgenfunction(async_variant):
                logger.error(f"{_name(async_variant)} is not an async generator function, skipping this method.")
            elif inspect.isasyncgenfunction(plain):
                logger.error(
                    f"{_name(plain)} is an async generator function while process_spider_output_async() "
                    "exists, skipping both methods. Please remove process_spider_output_async()."
                )
                return None
            else:
                return async_variant
        return plain

    # -- callbacks ------------------------------------------------------------------------

    async def scrape_response_async(self, scrape_func: ScrapeFunc, response: Any, request: Any) -> AsyncIterator[Any]:
        """The output of the callback (or of the errback) for ``response``, through the chain,
        as an async iterator (Scrapy's API)."""
        if self.crawler is None:
            raise RuntimeError(
                "scrape_response_async() called on a SpiderMiddlewareManager instance created without a crawler."
            )
        output = await self.scrape_response(scrape_func, response, request)
        if isinstance(output, AsyncIterator):
            return output
        return _as_async_iterator(output)

    async def scrape_response(
        self, scrape_func: ScrapeFunc, response: Any, request: Any
    ) -> AsyncIterable[Any] | Iterable[Any]:
        """As scrape_response_async, for the scraper: when the chain is per-object hooks only
        and the callback's output is synchronous, a plain iterator (an AsyncTail may end it)."""
        spider = self._spider
        try:
            for method, needs_spider in self._input:
                try:
                    if needs_spider:
                        returned = method(response=response, spider=spider)
                    else:
                        returned = method(response=response)
                except _InvalidOutput:
                    raise
                except Exception:
                    result = await scrape_func(Failure(), request)
                    break
                if returned is not None:
                    raise _InvalidOutput(
                        f"{_name(method)} must return None or raise an exception, got {type(returned)}"
                    )
            else:
                result = await scrape_func(response, request)
            if self._only_object_hooks and not hasattr(result, "__aiter__"):
                for hooks in self._layers:
                    hooks.start(response)
                return self._sync_output(response, result)
            recovered: list[AsyncIterable[Any]] = []
            guarded = _guarded(self, response, to_async(result), 0, recovered)
            return _chained(self._output_chain(response, guarded, 0, recovered), recovered)
        except _InvalidOutput:
            raise
        except Exception as error:
            return self._exception_chain(response, error, 0)


    def _compile_output_chain(self) -> list[Any]:
        """The output chain as layers: ObjectHooks for each run of per-object middlewares,
        else (position, method, needs_spider)."""
        layers: list[Any] = []
        run: list[tuple[int, Any]] = []
        for index, entry in enumerate(self._output):
            if entry is None:
                continue
            method, needs_spider, mw = entry
            if is_per_object(mw):
                run.append((index, mw))
                continue
            if run:
                layers.append(ObjectHooks(run))
                run = []
            layers.append((index, method, needs_spider))
        if run:
            layers.append(ObjectHooks(run))
        return layers

    def _output_chain(self, response: Any, result: AsyncIterable[Any], start: int,
                      recovered: list[AsyncIterable[Any]]) -> AsyncIterable[Any]:
        spider = self._spider
        for layer in self._layers:
            if isinstance(layer, ObjectHooks):
                if layer.last < start:
                    continue
                hooks = layer.from_position(start)
                hooks.start(response)
                result = _guarded(self, response, hooks.run_async(result, response), hooks.last + 1, recovered)
                continue
            index, method, needs_spider = layer
            if index < start:
                continue
            if needs_spider:
                result = method(response=response, result=result, spider=spider)
            else:
                result = method(response=response, result=result)
            if not hasattr(result, "__aiter__"):
                raise _InvalidOutput(
                    f"{_name(method)} must return an asynchronous iterable, got {type(result)}"
                )
            result = _guarded(self, response, result, index + 1, recovered)
        return result

    def _sync_output(self, response: Any, result: Any) -> Iterator[Any]:
        """The chain for synchronous callback output when every layer is per-object hooks
        (so there is at most one layer): plain loops, no async generators. A recovery from
        process_spider_exception that is asynchronous comes last, wrapped in AsyncTail for
        the scraper."""
        source: Iterator[Any] = iter(result if result is not None else ())

        def recover(error: Exception) -> AsyncTail:
            if getattr(error, "_spidermw_unhandled", False):
                raise error
            return AsyncTail(self._exception_chain(response, error, getattr(error, "_spidermw_start", 0)))

        if self._layers:
            return self._layers[0].run_sync(source, response, recover)
        return _recovering(source, recover)

    def _exception_chain(self, response: Any, error: Exception, start: int) -> AsyncIterable[Any]:
        if isinstance(error, _InvalidOutput):
            raise error
        spider = self._spider
        handlers = self._exception
        for index in range(start, len(handlers)):
            entry = handlers[index]
            if entry is None:
                continue
            method, needs_spider = entry
            if needs_spider:
                result = method(response=response, exception=error, spider=spider)
            else:
                result = method(response=response, exception=error)
            if result is None:
                continue
            if hasattr(result, "__aiter__") or isinstance(result, Iterable):
                recovered: list[AsyncIterable[Any]] = []
                chain = self._output_chain(response, to_async(result), index + 1, recovered)
                return _chained(chain, recovered)
            raise _InvalidOutput(f"{_name(method)} must return None or an iterable, got {type(result)}")
        try:
            error._spidermw_unhandled = True  # type: ignore[attr-defined]
        except AttributeError:
            pass
        raise error

    # -- start ----------------------------------------------------------------------------

    async def process_start(self, spider: Any = None) -> AsyncIterator[Any]:
        """The spider's start items and requests through process_start (and the older
        process_start_requests when the spider still uses start_requests())."""
        if spider is not None:
            if self.crawler is not None:
                message = ("Passing a spider argument to SpiderMiddlewareManager.process_start() is "
                           "deprecated and the passed value is ignored.")
            else:
                message = ("Passing a spider argument to SpiderMiddlewareManager.process_start() is "
                           "deprecated, SpiderMiddlewareManager should be instantiated with a Crawler "
                           "instance instead.")
            warnings.warn(message, ScrapyDeprecationWarning, stacklevel=2)
        spider = (self._spider if self.crawler is not None else None) or spider
        from ascrapy.spiders import Spider

        uses_start_requests = type(spider).start is Spider.start
        if self._start_requests and uses_start_requests:
            requests: Iterable[Any] = spider.start_requests()
            for method in self._start_requests:
                requests = method(requests, spider)
            start: AsyncIterable[Any] = as_async_generator(requests)
        else:
            if self._start_requests:
                logger.warning(
                    "%s define process_start_requests() but %s overrides start(): "
                    "they are skipped; give them a process_start() method",
                    [_name(m) for m in self._start_requests], type(spider).__name__,
                )
            start = spider.start()
            if not hasattr(start, "__aiter__"):
                if inspect.iscoroutine(start):
                    start.close()
                raise TypeError(
                    f"{type(spider).__qualname__}.start() must be an asynchronous generator, "
                    f"i.e. an async def method with yield statements, got {type(start)}"
                )
        for method in self._start:
            start = method(start)
            if inspect.isawaitable(start):
                start = await start
        return start  # type: ignore[return-value]
