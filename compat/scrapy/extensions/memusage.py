"""scrapy.extensions.memusage is ascrapy.extensions.memusage itself."""

import ascrapy.extensions.memusage
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import AsyncioLoopingCall
from ascrapy.utils.misc import build_from_crawler

alias_module(
    __name__,
    ascrapy.extensions.memusage,
    AsyncioLoopingCall=AsyncioLoopingCall,
    build_from_crawler=build_from_crawler,
)
