"""Item pipelines (ITEM_PIPELINES): each item passes every process_item in order."""

from __future__ import annotations

import asyncio
import inspect
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.middleware.manager import MiddlewareManager
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.conf import build_component_list
from ascrapy.utils.python import global_object_name

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class ItemPipelineManager(MiddlewareManager):
    """Runs process_item of every enabled pipeline, sync or async, in order."""

    component_name = "item pipeline"

    def __init__(self, *middlewares: Any, crawler: CrawlerProtocol | None = None) -> None:
        self._process: list[tuple[Callable[..., Any], bool]] = []
        super().__init__(*middlewares, crawler=crawler)

    @classmethod
    def _get_mwlist_from_settings(cls, settings: Any) -> list[Any]:
        return build_component_list(settings.getwithbase("ITEM_PIPELINES"))

    def _add_middleware(self, mw: Any) -> None:
        self._add_open_close(mw)
        if hasattr(mw, "process_item"):
            self.methods["process_item"].append(mw.process_item)
            self._process.append((mw.process_item, self._track_spider_arg(mw.process_item)))

    async def process_item_async(self, item: Any) -> Any:
        """The item as the last pipeline returns it; DropItem and errors propagate."""
        for method, needs_spider in self._process:
            item = method(item, self._required_spider()) if needs_spider else method(item)
            if inspect.isawaitable(item):
                item = await deferred_as_future(item, method)
        return item

    async def open_spider_async(self) -> None:
        await self._open_components()

    async def close_spider_async(self) -> None:
        await self._close_components()

    # Scrapy's older API (deprecated in 2.19): the spider as an argument, a Deferred back
    # (here a started asyncio Future).

    def process_item(self, item: Any, spider: Any = None) -> asyncio.Future[Any]:
        self._warn_deprecated("process_item")
        self._set_compat_spider(spider)
        return asyncio.ensure_future(self.process_item_async(item))

    def open_spider(self, spider: Any = None) -> asyncio.Future[None]:
        self._warn_deprecated("open_spider")
        self._set_compat_spider(spider)
        return asyncio.ensure_future(self.open_spider_async())

    def close_spider(self, spider: Any = None) -> asyncio.Future[None]:
        self._warn_deprecated("close_spider")
        self._set_compat_spider(spider)
        return asyncio.ensure_future(self.close_spider_async())

    def _warn_deprecated(self, method: str) -> None:
        warnings.warn(
            f"{global_object_name(type(self))}.{method}() is deprecated, use {method}_async() instead.",
            ScrapyDeprecationWarning, stacklevel=3,
        )
