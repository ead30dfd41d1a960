"""scrapy.extensions.periodic_log is ascrapy.extensions.periodic_log itself."""

import ascrapy.extensions.periodic_log
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider
from ascrapy.utils.asyncio import AsyncioLoopingCall

alias_module(
    __name__,
    ascrapy.extensions.periodic_log,
    AsyncioLoopingCall=AsyncioLoopingCall,
    Spider=Spider,
)
