"""scrapy.utils.url is ascrapy.utils.url itself."""

import ascrapy.utils.url
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.url)
