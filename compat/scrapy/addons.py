"""scrapy.addons is ascrapy.addons itself: tests patch its logger and build_from_crawler."""

import ascrapy.addons
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.addons)
