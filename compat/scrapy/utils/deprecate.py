"""scrapy.utils.deprecate is ascrapy.utils.deprecate itself: tests patch its DEPRECATION_RULES."""

import ascrapy.utils.deprecate
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.deprecate)
