"""scrapy.utils.defer is ascrapy.utils.defer itself."""

import ascrapy.utils.defer
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import is_asyncio_available, sleep
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.utils.defer,
    global_object_name=global_object_name,
    is_asyncio_available=is_asyncio_available,
    sleep=sleep,
)
