"""scrapy.link is ascrapy.link itself."""

import ascrapy.link
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.link)
