"""scrapy.utils.gz is ascrapy.utils.gz itself."""

import ascrapy.utils.gz
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.gz)
