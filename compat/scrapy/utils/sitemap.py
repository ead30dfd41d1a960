"""scrapy.utils.sitemap is ascrapy.utils.sitemap itself."""

import ascrapy.utils.sitemap
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.sitemap)
