"""scrapy.shell is ascrapy.shell itself: tests patch its start_python_console."""

import ascrapy.shell
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.defer import deferred_f_from_coro_f, maybe_deferred_to_future

alias_module(
    __name__,
    ascrapy.shell,
    deferred_f_from_coro_f=deferred_f_from_coro_f,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
