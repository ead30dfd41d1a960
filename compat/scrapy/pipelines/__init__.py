"""scrapy.pipelines is ascrapy.pipelines itself."""

import ascrapy.pipelines
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.defer import deferred_from_coro
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.python import global_object_name
from ascrapy.utils.asyncio import is_asyncio_available

alias_module(
    __name__,
    ascrapy.pipelines,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    global_object_name=global_object_name,
    is_asyncio_available=is_asyncio_available,
)
