"""Helpers for finding spider classes in modules and picking one for a request."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Coroutine, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any, overload

from ascrapy.spiders import Spider
from ascrapy.utils.misc import arg_to_iter

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.spiderloader import SpiderLoaderProtocol

logger = logging.getLogger("scrapy.utils.spider")


def iterate_spider_output(result: Any) -> Any:
    """What a callback returned, as something to iterate: an async generator as it is, a
    coroutine as an awaitable of its result made iterable, anything else via arg_to_iter."""
    if inspect.isasyncgen(result):
        return result
    if inspect.iscoroutine(result):
        return _iterate_awaited(result)
    return arg_to_iter(result)


async def _iterate_awaited(coroutine: Coroutine[Any, Any, Any]) -> Any:
    return iterate_spider_output(await coroutine)


def iter_spider_classes(module: ModuleType) -> Iterator[type[Spider]]:
    """Spider classes defined in ``module`` itself that have a name (so can be run).

    Classes imported into the module from elsewhere are skipped, so a spider is found
    only in the module that defines it.
    """
    for obj in vars(module).values():
        if (
            inspect.isclass(obj)
            and issubclass(obj, Spider)
            and obj.__module__ == module.__name__
            and getattr(obj, "name", None)
        ):
            yield obj


@overload
def spidercls_for_request(
    spider_loader: SpiderLoaderProtocol,
    request: Request,
    default_spidercls: type[Spider],
    log_none: bool = ...,
    log_multiple: bool = ...,
) -> type[Spider]: ...


@overload
def spidercls_for_request(
    spider_loader: SpiderLoaderProtocol,
    request: Request,
    default_spidercls: None = ...,
    log_none: bool = ...,
    log_multiple: bool = ...,
) -> type[Spider] | None: ...


def spidercls_for_request(
    spider_loader: SpiderLoaderProtocol,
    request: Request,
    default_spidercls: type[Spider] | None = None,
    log_none: bool = False,
    log_multiple: bool = False,
) -> type[Spider] | None:
    """The one spider that handles ``request``; ``default_spidercls`` when none or several do."""
    names = spider_loader.find_by_request(request)
    if len(names) == 1:
        return spider_loader.load(names[0])
    if names and log_multiple:
        logger.error(
            "More than one spider can handle: %(request)s - %(snames)s",
            {"request": request, "snames": ", ".join(names)},
        )
    if not names and log_none:
        logger.error("Unable to find spider that handles: %(request)s", {"request": request})
    return default_spidercls


class DefaultSpider(Spider):
    """The spider used when no project spider matches (fetch, shell)."""

    name = "default"
