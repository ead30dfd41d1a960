"""scrapy.extensions.debug is ascrapy.extensions.debug itself: tests patch its Pdb."""

import sys

import ascrapy.extensions.debug

sys.modules[__name__] = ascrapy.extensions.debug
