"""scrapy.spidermiddlewares.httperror is ascrapy.middleware.spider.httperror itself."""

import ascrapy.middleware.spider.httperror
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.spider.httperror)
