"""scrapy.downloadermiddlewares.httpcache is ascrapy.middleware.downloader.httpcache itself."""

import ascrapy.middleware.downloader.httpcache
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.downloader.httpcache)
