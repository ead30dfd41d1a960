"""scrapy.utils.display is ascrapy.utils.display itself: tests patch its _enable_windows_terminal_processing."""

import sys

import ascrapy.utils.display

sys.modules[__name__] = ascrapy.utils.display
