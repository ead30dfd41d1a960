"""scrapy.downloadermiddlewares.httpproxy is ascrapy.middleware.downloader.httpproxy itself."""

import ascrapy.middleware.downloader.httpproxy
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.downloader.httpproxy)
