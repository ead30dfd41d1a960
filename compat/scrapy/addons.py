"""scrapy.addons is ascrapy.addons itself: tests patch its logger and build_from_crawler."""

import sys

import ascrapy.addons

sys.modules[__name__] = ascrapy.addons
