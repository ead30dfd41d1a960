"""scrapy.extensions.logstats is ascrapy.extensions.logstats itself."""

import ascrapy.extensions.logstats
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider
from ascrapy.utils.asyncio import AsyncioLoopingCall

alias_module(
    __name__,
    ascrapy.extensions.logstats,
    AsyncioLoopingCall=AsyncioLoopingCall,
    Spider=Spider,
)
