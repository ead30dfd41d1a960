"""scrapy.utils.console is ascrapy.utils.console itself: tests patch its get_shell_embed_func."""

import sys

import ascrapy.utils.console

sys.modules[__name__] = ascrapy.utils.console
