"""scrapy.extensions.debug is ascrapy.extensions.debug itself: tests patch its Pdb."""

import ascrapy.extensions.debug
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.extensions.debug)
