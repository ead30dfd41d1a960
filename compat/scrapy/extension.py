"""scrapy.extension is ascrapy.extension itself."""

import ascrapy.extension
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.extension)
