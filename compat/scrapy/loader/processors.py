"""scrapy.loader.processors is ascrapy.loader.processors itself."""

import ascrapy.loader.processors
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.loader.processors)
