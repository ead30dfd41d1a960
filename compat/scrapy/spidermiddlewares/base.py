"""scrapy.spidermiddlewares.base is ascrapy.middleware.spider.base itself."""

import ascrapy.middleware.spider.base
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.middleware.spider.base, Spider=Spider)
