"""scrapy.statscollectors is ascrapy.stats itself."""

import ascrapy.stats
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.stats)
