"""scrapy.utils.iterators is ascrapy.utils.iterators itself."""

import ascrapy.utils.iterators
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.iterators)
