"""scrapy.utils.decorators is ascrapy.utils.decorators itself."""

import ascrapy.utils.decorators
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import run_in_thread
from ascrapy.utils.defer import deferred_from_coro

alias_module(
    __name__,
    ascrapy.utils.decorators,
    deferred_from_coro=deferred_from_coro,
    run_in_thread=run_in_thread,
)
