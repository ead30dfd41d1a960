"""scrapy.spidermiddlewares.start is ascrapy.middleware.spider.start itself."""

import ascrapy.middleware.spider.start
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.spider.start)
