"""scrapy.spidermiddlewares.referer is ascrapy.middleware.spider.referer itself."""

import ascrapy.middleware.spider.referer
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Request

alias_module(__name__, ascrapy.middleware.spider.referer, Request=Request)
