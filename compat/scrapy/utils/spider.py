"""scrapy.utils.spider is ascrapy.utils.spider itself."""

import ascrapy.utils.spider
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.defer import deferred_from_coro

alias_module(__name__, ascrapy.utils.spider, deferred_from_coro=deferred_from_coro)
