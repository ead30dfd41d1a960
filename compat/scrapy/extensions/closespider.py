"""scrapy.extensions.closespider is ascrapy.extensions.closespider itself."""

import ascrapy.extensions.closespider
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider
from ascrapy.utils.asyncio import AsyncioLoopingCall, CallLaterResult, call_later

alias_module(
    __name__,
    ascrapy.extensions.closespider,
    AsyncioLoopingCall=AsyncioLoopingCall,
    CallLaterResult=CallLaterResult,
    Request=Request,
    Spider=Spider,
    call_later=call_later,
)
