"""scrapy.utils.log is ascrapy.utils.log itself: tests patch its _tty_supports_color."""

import sys

import ascrapy.utils.log

sys.modules[__name__] = ascrapy.utils.log
