"""scrapy.utils.engine is ascrapy.utils.engine itself."""

import ascrapy.utils.engine
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.engine)
