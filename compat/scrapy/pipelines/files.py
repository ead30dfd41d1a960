"""scrapy.pipelines.files is ascrapy.pipelines.files itself: tests patch its is_botocore_available."""

import ascrapy.pipelines.files
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import run_in_thread
from ascrapy.utils.datatypes import CaseInsensitiveDict
from ascrapy.utils.defer import deferred_from_coro, ensure_awaitable
from ascrapy.utils.ftp import ftp_store_file
from ascrapy.utils.log import failure_to_exc_info

alias_module(
    __name__,
    ascrapy.pipelines.files,
    CaseInsensitiveDict=CaseInsensitiveDict,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    failure_to_exc_info=failure_to_exc_info,
    ftp_store_file=ftp_store_file,
    run_in_thread=run_in_thread,
)
