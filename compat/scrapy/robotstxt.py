"""scrapy.robotstxt is ascrapy.robotstxt itself."""

import ascrapy.robotstxt
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.robotstxt)
