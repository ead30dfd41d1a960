"""scrapy.downloadermiddlewares.useragent is ascrapy.middleware.downloader.useragent itself."""

import ascrapy.middleware.downloader.useragent
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider

alias_module(__name__, ascrapy.middleware.downloader.useragent, Request=Request, Spider=Spider)
