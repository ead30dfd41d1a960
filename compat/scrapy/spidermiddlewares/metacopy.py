"""scrapy.spidermiddlewares.metacopy is ascrapy.middleware.spider.metacopy itself."""

import ascrapy.middleware.spider.metacopy
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.spider.metacopy)
