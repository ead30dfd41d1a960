"""scrapy.extensions.spiderstate is ascrapy.extensions.spiderstate itself."""

import ascrapy.extensions.spiderstate
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.extensions.spiderstate, Spider=Spider)
