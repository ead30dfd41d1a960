"""scrapy.pipelines.media is ascrapy.pipelines.media itself."""

import ascrapy.pipelines.media
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import is_asyncio_available
from ascrapy.utils.defer import deferred_from_coro, ensure_awaitable, maybe_deferred_to_future

alias_module(
    __name__,
    ascrapy.pipelines.media,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    is_asyncio_available=is_asyncio_available,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
