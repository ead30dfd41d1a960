"""scrapy.spidermiddlewares.depth is ascrapy.middleware.spider.depth itself."""

import ascrapy.middleware.spider.depth
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.spider.depth)
