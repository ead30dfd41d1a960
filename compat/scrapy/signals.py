"""scrapy.signals is ascrapy.signals itself."""

import ascrapy.signals
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.signals)
