"""scrapy.core.downloader.handlers is ascrapy.handlers itself."""

import ascrapy.handlers
import ascrapy.signals
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import NotSupported
from ascrapy import Request
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy import Spider
from ascrapy.utils.defer import deferred_from_coro
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.python import global_object_name
from ascrapy.utils.defer import maybe_deferred_to_future

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
