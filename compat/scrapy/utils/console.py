"""scrapy.utils.console is ascrapy.utils.console itself: tests patch its get_shell_embed_func."""

import ascrapy.utils.console
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.console)
