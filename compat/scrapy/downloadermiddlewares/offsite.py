"""scrapy.downloadermiddlewares.offsite is ascrapy.middleware.downloader.offsite itself."""

import ascrapy.middleware.downloader.offsite
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider

alias_module(__name__, ascrapy.middleware.downloader.offsite, Request=Request, Spider=Spider)
