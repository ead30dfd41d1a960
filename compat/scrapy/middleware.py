"""scrapy.middleware is ascrapy.middleware.manager itself."""

import ascrapy.middleware.manager
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.middleware.manager,
    ensure_awaitable=ensure_awaitable,
    global_object_name=global_object_name,
)
