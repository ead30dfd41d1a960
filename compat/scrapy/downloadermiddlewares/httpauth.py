"""scrapy.downloadermiddlewares.httpauth is ascrapy.middleware.downloader.httpauth itself."""

import ascrapy.middleware.downloader.httpauth
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider

alias_module(__name__, ascrapy.middleware.downloader.httpauth, Request=Request, Spider=Spider)
