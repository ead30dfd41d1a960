"""scrapy.core.engine is ascrapy.engine.engine itself."""

import ascrapy.engine.engine
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call, is_asyncio_available
from ascrapy.utils.defer import deferred_from_coro, ensure_awaitable, maybe_deferred_to_future
from ascrapy.utils.log import failure_to_exc_info, logformatter_adapter
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.engine.engine,
    AsyncioLoopingCall=AsyncioLoopingCall,
    build_from_crawler=build_from_crawler,
    create_looping_call=create_looping_call,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    failure_to_exc_info=failure_to_exc_info,
    global_object_name=global_object_name,
    is_asyncio_available=is_asyncio_available,
    logformatter_adapter=logformatter_adapter,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
