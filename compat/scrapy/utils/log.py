"""scrapy.utils.log is ascrapy.utils.log itself: tests patch its _tty_supports_color."""

import ascrapy.utils.log
from ascrapy.utils.module_alias import alias_module
from ascrapy.settings import Settings

alias_module(__name__, ascrapy.utils.log, Settings=Settings)
