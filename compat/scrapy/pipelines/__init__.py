"""scrapy.pipelines is ascrapy.pipelines itself."""

import ascrapy.pipelines
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import is_asyncio_available
from ascrapy.utils.defer import deferred_from_coro, ensure_awaitable

alias_module(
    __name__,
    ascrapy.pipelines,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    is_asyncio_available=is_asyncio_available,
)
