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
from typing import TYPE_CHECKING, Any, Self

from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.deprecate import argument_is_required
from ascrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.middleware")


class MiddlewareManager:
    """Builds components from settings and keeps their hook methods in ordered chains."""

    component_name = "foo middleware"

    def __init__(self, *middlewares: Any, crawler: CrawlerProtocol | None = None) -> None:
        if crawler is None:
            warnings.warn(
                f"MiddlewareManager.__init__() was called without the crawler argument when "
                f"creating {type(self).__module__}.{type(self).__qualname__}. This is deprecated "
                "and the argument will be required in future Scrapy versions.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
        self.crawler = crawler
        self._compat_spider: Any = None
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
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
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
        """The crawler's spider, or the one given to a deprecated method without a crawler."""
        if self.crawler is not None:
            return getattr(self.crawler, "spider", None)
        return self._compat_spider

    def _required_spider(self) -> Any:
        """The spider for a hook written to take one; an error when there is none yet."""
        spider = self._spider
        if spider is not None:
            return spider
        if self.crawler is not None:
            raise ValueError(f"{type(self).__name__} needs to access self.crawler.spider but it is None.")
        raise ValueError(f"{type(self).__name__} has no known Spider instance.")

    def _set_compat_spider(self, spider: Any) -> None:
        """Keep the spider a deprecated method was given, for a manager made without a crawler
        (with one, the crawler's spider is used); a different spider later is a mistake."""
        if spider is None or self.crawler is not None:
            return
        if self._compat_spider is None:
            self._compat_spider = spider
        elif self._compat_spider is not spider:
            raise RuntimeError(
                f"Different instances of Spider were passed to {type(self).__name__}: "
                f"{self._compat_spider} and {spider}"
            )

    def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        """Call a hook, adding the spider for hooks written in the older style that need it."""
        if method in self._needs_spider:
            return deferred_as_future(method(*args, self._required_spider()), method)
        return deferred_as_future(method(*args), method)

    async def _open_components(self) -> None:
        """Open every component in order; a failure propagates (the crawl cannot start)."""
        for method in self.methods.get("open_spider", ()):
            result = self._call(method)
            if inspect.isawaitable(result):
                await result

    async def _close_components(self) -> None:
        """Close every component even when one fails; then the first failure is raised (the
        engine logs it) and any further ones are logged here."""
        first: Exception | None = None
        for method in self.methods.get("close_spider", ()):
            try:
                result = self._call(method)
                if inspect.isawaitable(result):
                    await result
            except Exception as error:
                if first is None:
                    first = error
                    continue
                logger.error(
                    "Error closing %(component)s", {"component": method}, exc_info=True,
                    extra={"spider": self._spider},
                )
        if first is not None:
            raise first


def _path_of(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"
