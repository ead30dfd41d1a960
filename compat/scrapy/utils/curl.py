"""scrapy.utils.curl is ascrapy.utils.curl itself."""

import ascrapy.utils.curl
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.curl)
