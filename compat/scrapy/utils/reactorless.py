"""scrapy.utils.reactorless is ascrapy.utils.reactorless itself."""

import ascrapy.utils.reactorless
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.reactorless)
