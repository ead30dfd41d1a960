"""scrapy.pqueues is ascrapy.pqueues itself."""

import ascrapy.pqueues
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.pqueues)
