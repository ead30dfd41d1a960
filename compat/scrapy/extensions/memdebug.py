"""scrapy.extensions.memdebug is ascrapy.extensions.memdebug itself."""

import ascrapy.extensions.memdebug
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.extensions.memdebug, Spider=Spider)
