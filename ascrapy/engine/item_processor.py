"""How the scraper calls the ITEM_PROCESSOR: its ``*_async`` methods (Scrapy 2.19's API), or
the older ``open_spider(spider)`` / ``process_item(item, spider)`` / ``close_spider(spider)``
that a custom processor written for an earlier Scrapy still defines, with Scrapy's warnings.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.pipelines import ItemPipelineManager
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.deprecate import method_is_overridden
from ascrapy.utils.python import global_object_name

METHODS = ("open_spider", "close_spider", "process_item")


def uses_async_method(itemproc: Any, method: str) -> bool:
    """Whether ``itemproc``'s ``<method>_async`` is the one to call; warns when it is not."""
    cls = type(itemproc)
    if not hasattr(itemproc, f"{method}_async"):
        warnings.warn(
            f"{global_object_name(cls)} doesn't define a {method}_async() method, this is deprecated "
            "and the method will be required in future Scrapy versions.",
            ScrapyDeprecationWarning, stacklevel=3,
        )
        return False
    if (
        issubclass(cls, ItemPipelineManager)
        and method_is_overridden(cls, ItemPipelineManager, method)
        and not method_is_overridden(cls, ItemPipelineManager, f"{method}_async")
    ):
        warnings.warn(
            f"{global_object_name(cls)} overrides {method}() but doesn't override {method}_async(). "
            f"This is deprecated: {method}() is used for now, {method}_async() will be in future versions.",
            ScrapyDeprecationWarning, stacklevel=3,
        )
        return False
    return True


class ItemProcessorCalls:
    """open, process and close on an item processor, whichever API it speaks."""

    def __init__(self, itemproc: Any, spider: Callable[[], Any]) -> None:
        self._itemproc = itemproc
        self._spider = spider
        chosen = {method: uses_async_method(itemproc, method) for method in METHODS}
        self.process: Callable[[Any], Awaitable[Any]] = (
            itemproc.process_item_async if chosen["process_item"] else self._process_old
        )
        self._open_async = chosen["open_spider"]
        self._close_async = chosen["close_spider"]

    async def open(self) -> None:
        if self._open_async:
            await self._itemproc.open_spider_async()
        else:
            await self._call_old("open_spider")

    async def close(self) -> None:
        if self._close_async:
            await self._itemproc.close_spider_async()
        else:
            await self._call_old("close_spider")

    async def _process_old(self, item: Any) -> Any:
        return await ensure_awaitable(self._itemproc.process_item(item, self._spider()))

    async def _call_old(self, method: str) -> Any:
        return await ensure_awaitable(getattr(self._itemproc, method)(self._spider()))
