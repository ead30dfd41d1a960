"""scrapy.core.downloader.middleware is ascrapy.middleware.downloadermw itself."""

import ascrapy.middleware.downloadermw
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.middleware.downloadermw,
    deferred_from_coro=deferred_from_coro,
    global_object_name=global_object_name,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
