"""scrapy.core.spidermw is ascrapy.middleware.spidermw itself."""

import ascrapy.middleware.spidermw
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider
from ascrapy.http import Response
from ascrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from ascrapy.utils.python import MutableAsyncChain, global_object_name

alias_module(
    __name__,
    ascrapy.middleware.spidermw,
    MutableAsyncChain=MutableAsyncChain,
    Request=Request,
    Response=Response,
    Spider=Spider,
    deferred_from_coro=deferred_from_coro,
    global_object_name=global_object_name,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
