"""scrapy.utils.datatypes is ascrapy.utils.datatypes itself."""

import ascrapy.utils.datatypes
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.datatypes)
