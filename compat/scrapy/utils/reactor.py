"""scrapy.utils.reactor is ascrapy.utils.reactor itself."""

import ascrapy.utils.reactor
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.utils.reactor,
    global_object_name=global_object_name,
    _asyncio_reactor_path=ascrapy.utils.reactor.ASYNCIO_REACTOR_PATH,
)
