"""The base of every component manager (scrapy.middleware.MiddlewareManager).

Managers build their components from a settings dict of class paths and orders, and collect
each component's hook methods into ordered chains once, at start, so calling a chain on the
hot path is a plain loop.
"""

from __future__ import annotations

import inspect
import logging
import pprint
import warnings
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.deprecate import argument_is_required
from ascrapy.utils.misc import build_from_crawler, load_object

logger = logging.getLogger("scrapy.middleware")


class MiddlewareManager:
    """Builds components from settings and keeps their hook methods in ordered chains."""

    component_name = "foo middleware"

    def __init__(self, *middlewares: Any, crawler: Any = None) -> None:
        if crawler is None:
            warnings.warn(
                f"MiddlewareManager.__init__() was called without the crawler argument when "
                f"creating {type(self).__module__}.{type(self).__qualname__}. This is deprecated "
                "and the argument will be required in future Scrapy versions.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
        self.crawler = crawler
        self.middlewares: tuple[Any, ...] = middlewares
        self.methods: dict[str, deque[Any]] = defaultdict(deque)
        # The open_spider / close_spider methods that must be given the spider (see _call);
        # the other chains keep that flag next to each method.
        self._needs_spider: set[Any] = set()
        for mw in middlewares:
            self._add_middleware(mw)

    @classmethod
    def _get_mwlist_from_settings(cls, settings: Any) -> list[Any]:
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler: Any) -> MiddlewareManager:
        middlewares = []
        enabled = []
        for clspath in cls._get_mwlist_from_settings(crawler.settings):
            try:
                mw = build_from_crawler(load_object(clspath), crawler)
            except NotConfigured as error:
                if error.args:
                    logger.warning(
                        "Disabled %(clspath)s: %(eargs)s",
                        {"clspath": clspath, "eargs": error.args[0]},
                        extra={"crawler": crawler},
                    )
                continue
            middlewares.append(mw)
            enabled.append(clspath if isinstance(clspath, str) else _path_of(clspath))
        logger.info(
            "Enabled %(componentname)ss:\n%(enabledlist)s",
            {"componentname": cls.component_name, "enabledlist": pprint.pformat(enabled)},
            extra={"crawler": crawler},
        )
        return cls(*middlewares, crawler=crawler)

    def _add_middleware(self, mw: Any) -> None:
        """Collect ``mw``'s hooks; the base collects none (item pipelines add open/close)."""

    def _add_open_close(self, mw: Any) -> None:
        if hasattr(mw, "open_spider"):
            self.methods["open_spider"].append(mw.open_spider)
            if self._track_spider_arg(mw.open_spider):
                self._needs_spider.add(mw.open_spider)
        if hasattr(mw, "close_spider"):
            self.methods["close_spider"].appendleft(mw.close_spider)
            if self._track_spider_arg(mw.close_spider):
                self._needs_spider.add(mw.close_spider)

    def _track_spider_arg(self, method: Callable[..., Any]) -> bool:
        """Whether ``method`` must be given the spider: a ``spider`` parameter without a
        default, the pre-2.14 style that Scrapy 2.19 deprecates (warned about when loaded)."""
        if not (callable(method) and argument_is_required(method, "spider")):
            return False
        warnings.warn(
            f"{getattr(method, '__qualname__', method)}() requires a spider argument, this is deprecated "
            "and the argument will not be passed in future Scrapy versions. If you need to access the "
            "spider instance you can save the crawler instance passed to from_crawler() and use its "
            "spider attribute.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return True

    @property
    def _spider(self) -> Any:
        return getattr(self.crawler, "spider", None)

    def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        """Call a hook, adding the spider for hooks written in the older style that need it."""
        if method in self._needs_spider:
            return deferred_as_future(method(*args, self._spider), method)
        return deferred_as_future(method(*args), method)

    async def open_spider(self, spider: Any = None) -> None:
        """Open every component in order; a failure propagates (the crawl cannot start)."""
        for method in self.methods.get("open_spider", ()):
            result = self._call(method)
            if inspect.isawaitable(result):
                await result

    async def close_spider(self, spider: Any = None) -> None:
        """Close every component even when one fails; the failures are logged."""
        for method in self.methods.get("close_spider", ()):
            try:
                result = self._call(method)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.error(
                    "Error closing %(component)s", {"component": method}, exc_info=True,
                    extra={"spider": spider},
                )


def _path_of(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"
