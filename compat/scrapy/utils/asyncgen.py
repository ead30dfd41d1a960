"""scrapy.utils.asyncgen is ascrapy.utils.asyncgen itself."""

import ascrapy.utils.asyncgen
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.asyncgen)
