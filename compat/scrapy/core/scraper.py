"""scrapy.core.scraper is ascrapy.engine.scraper itself."""

import ascrapy.engine.scraper
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.pipelines import ItemPipelineManager
from ascrapy.utils.asyncio import is_asyncio_available
from ascrapy.utils.defer import (
    aiter_errback,
    deferred_from_coro,
    ensure_awaitable,
    iter_errback,
    maybe_deferred_to_future,
    parallel,
    parallel_async,
)
from ascrapy.utils.deprecate import method_is_overridden
from ascrapy.utils.log import failure_to_exc_info, logformatter_adapter
from ascrapy.utils.python import global_object_name
from ascrapy.utils.spider import iterate_spider_output

alias_module(
    __name__,
    ascrapy.engine.scraper,
    ItemPipelineManager=ItemPipelineManager,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    Spider=Spider,
    aiter_errback=aiter_errback,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    failure_to_exc_info=failure_to_exc_info,
    global_object_name=global_object_name,
    is_asyncio_available=is_asyncio_available,
    iter_errback=iter_errback,
    iterate_spider_output=iterate_spider_output,
    logformatter_adapter=logformatter_adapter,
    maybe_deferred_to_future=maybe_deferred_to_future,
    method_is_overridden=method_is_overridden,
    parallel=parallel,
    parallel_async=parallel_async,
)
