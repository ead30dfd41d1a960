"""Item pipelines (ITEM_PIPELINES): each item passes every process_item in order."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ascrapy.middleware.manager import MiddlewareManager
from ascrapy.utils.deferreds import deferred_as_future
from ascrapy.utils.conf import build_component_list


class ItemPipelineManager(MiddlewareManager):
    """Runs process_item of every enabled pipeline, sync or async, in order."""

    component_name = "item pipeline"

    def __init__(self, *middlewares: Any, crawler: Any = None) -> None:
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
        spider = self._spider
        for method, needs_spider in self._process:
            item = method(item, spider) if needs_spider else method(item)
            if inspect.isawaitable(item):
                item = await deferred_as_future(item, method)
        return item

    async def open_spider_async(self) -> None:
        await self.open_spider()

    async def close_spider_async(self) -> None:
        await self.close_spider()
