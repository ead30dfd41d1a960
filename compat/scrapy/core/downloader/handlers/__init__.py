"""scrapy.core.downloader.handlers is ascrapy.handlers itself."""

import ascrapy.handlers
import ascrapy.signals
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider
from ascrapy.exceptions import NotSupported, ScrapyDeprecationWarning
from ascrapy.utils.defer import deferred_from_coro, ensure_awaitable, maybe_deferred_to_future
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.handlers,
    NotSupported=NotSupported,
    Request=Request,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    Spider=Spider,
    deferred_from_coro=deferred_from_coro,
    ensure_awaitable=ensure_awaitable,
    global_object_name=global_object_name,
    maybe_deferred_to_future=maybe_deferred_to_future,
    signals=ascrapy.signals,
)
