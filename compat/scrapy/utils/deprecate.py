"""scrapy.utils.deprecate is ascrapy.utils.deprecate itself: tests patch its DEPRECATION_RULES."""

import sys

import ascrapy.utils.deprecate

sys.modules[__name__] = ascrapy.utils.deprecate
