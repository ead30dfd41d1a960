"""scrapy.extensions.feedexport is ascrapy.extensions.feedexport itself: tests patch its FeedSlot."""

import ascrapy.extensions.feedexport
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider
from ascrapy.utils.asyncio import is_asyncio_available, run_in_thread
from ascrapy.utils.defer import deferred_from_coro, ensure_awaitable
from ascrapy.utils.ftp import ftp_store_file

alias_module(
    __name__,
    ascrapy.extensions.feedexport,
    Spider=Spider,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    ftp_store_file=ftp_store_file,
    is_asyncio_available=is_asyncio_available,
    run_in_thread=run_in_thread,
)
