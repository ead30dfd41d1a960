"""scrapy.commands.parse is ascrapy.cli.parse itself."""

import ascrapy.cli.parse
import ascrapy.utils.display
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response
from ascrapy.utils.asyncgen import collect_asyncgen
from ascrapy.utils.defer import aiter_errback, deferred_from_coro
from ascrapy.utils.log import failure_to_exc_info

alias_module(
    __name__,
    ascrapy.cli.parse,
    Response=Response,
    aiter_errback=aiter_errback,
    collect_asyncgen=collect_asyncgen,
    deferred_from_coro=deferred_from_coro,
    display=ascrapy.utils.display,
    failure_to_exc_info=failure_to_exc_info,
)
