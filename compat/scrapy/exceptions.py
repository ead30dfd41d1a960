"""scrapy.exceptions is ascrapy.exceptions itself."""

import ascrapy.exceptions
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.exceptions)
