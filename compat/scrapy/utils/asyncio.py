"""scrapy.utils.asyncio: Scrapy's names, from ascrapy.utils.asyncio."""

from ascrapy.utils.asyncio import (
    AsyncioLoopingCall,
    CallLaterResult,
    call_later,
    create_looping_call,
    is_asyncio_available,
    run_in_thread,
    sleep,
)
from ascrapy.utils.defer import parallel_async as _parallel_asyncio
