"""scrapy.extensions.corestats is ascrapy.extensions.corestats itself: tests patch its datetime."""

import ascrapy.extensions.corestats
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.extensions.corestats, Spider=Spider)
