"""scrapy.squeues is ascrapy.squeues itself."""

import ascrapy.squeues
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.squeues)
