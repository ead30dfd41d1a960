"""scrapy.downloadermiddlewares.httpcompression is ascrapy.middleware.downloader.httpcompression itself."""

import ascrapy.middleware.downloader.httpcompression
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider
from ascrapy.http import Response
from ascrapy.utils.gz import gunzip

alias_module(
    __name__,
    ascrapy.middleware.downloader.httpcompression,
    Request=Request,
    Response=Response,
    Spider=Spider,
    gunzip=gunzip,
)
