"""scrapy.spiders.sitemap is ascrapy.spiders.sitemap itself."""

import ascrapy.spiders.sitemap
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.spiders.sitemap)
