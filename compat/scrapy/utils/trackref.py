"""scrapy.utils.trackref is ascrapy.utils.trackref itself."""

import ascrapy.utils.trackref
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.trackref)
