"""scrapy.core.downloader.middleware is ascrapy.middleware.downloadermw itself."""

import ascrapy.middleware.downloadermw
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.defer import deferred_from_coro
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.python import global_object_name
from ascrapy.utils.defer import maybe_deferred_to_future

alias_module(
    __name__,
    ascrapy.middleware.downloadermw,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    global_object_name=global_object_name,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
