"""scrapy.resolver is ascrapy.resolver itself."""

import ascrapy.resolver
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.resolver)
