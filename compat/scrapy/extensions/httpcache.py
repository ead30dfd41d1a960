"""scrapy.extensions.httpcache is ascrapy.extensions.httpcache itself: tests patch its time."""

import sys

import ascrapy.extensions.httpcache

sys.modules[__name__] = ascrapy.extensions.httpcache
