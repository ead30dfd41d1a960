"""scrapy.extensions.httpcache is ascrapy.extensions.httpcache itself: tests patch its time."""

import ascrapy.extensions.httpcache
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.extensions.httpcache)
