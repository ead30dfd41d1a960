"""scrapy.extensions.corestats is ascrapy.extensions.corestats itself: tests patch its datetime."""

import sys

import ascrapy.extensions.corestats

sys.modules[__name__] = ascrapy.extensions.corestats
