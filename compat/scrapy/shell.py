"""scrapy.shell is ascrapy.shell itself: tests patch its start_python_console."""

import sys

import ascrapy.shell

sys.modules[__name__] = ascrapy.shell
