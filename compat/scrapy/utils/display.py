"""scrapy.utils.display is ascrapy.utils.display itself: tests patch its _enable_windows_terminal_processing."""

import ascrapy.utils.display
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.display)
