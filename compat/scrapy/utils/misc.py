"""scrapy.utils.misc is ascrapy.utils.misc itself: tests patch its is_generator_with_return_value."""

import sys

import ascrapy.utils.misc

sys.modules[__name__] = ascrapy.utils.misc
