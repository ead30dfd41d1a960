"""scrapy.downloadermiddlewares.redirect is ascrapy.middleware.downloader.redirect itself."""

import ascrapy.middleware.downloader.redirect
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.middleware.downloader.redirect,
    Response=Response,
    global_object_name=global_object_name,
)
