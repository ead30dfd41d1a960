"""scrapy.downloadermiddlewares.cookies is ascrapy.middleware.downloader.cookies itself."""

import ascrapy.middleware.downloader.cookies
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.downloader.cookies)
