"""scrapy.spidermiddlewares.urllength is ascrapy.middleware.spider.urllength itself."""

import ascrapy.middleware.spider.urllength
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.middleware.spider.urllength)
