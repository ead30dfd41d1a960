"""scrapy.loader is ascrapy.loader itself."""

import ascrapy.loader
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.loader)
