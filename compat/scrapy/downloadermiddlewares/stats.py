"""scrapy.downloadermiddlewares.stats is ascrapy.middleware.downloader.stats itself."""

import ascrapy.middleware.downloader.stats
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import global_object_name, to_bytes
from ascrapy.utils.request import request_httprepr

alias_module(
    __name__,
    ascrapy.middleware.downloader.stats,
    global_object_name=global_object_name,
    request_httprepr=request_httprepr,
    to_bytes=to_bytes,
)
