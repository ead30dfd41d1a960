"""scrapy.downloadermiddlewares.downloadtimeout is ascrapy.middleware.downloader.downloadtimeout itself."""

import ascrapy.middleware.downloader.downloadtimeout
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider

alias_module(
    __name__,
    ascrapy.middleware.downloader.downloadtimeout,
    Request=Request,
    Spider=Spider,
)
