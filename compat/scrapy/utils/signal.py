"""scrapy.utils.signal is ascrapy.utils.signal itself."""

import ascrapy.utils.signal
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import is_asyncio_available
from ascrapy.utils.defer import maybe_deferred_to_future
from ascrapy.utils.log import failure_to_exc_info
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.utils.signal,
    failure_to_exc_info=failure_to_exc_info,
    global_object_name=global_object_name,
    is_asyncio_available=is_asyncio_available,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
