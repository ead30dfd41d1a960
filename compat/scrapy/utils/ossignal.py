"""scrapy.utils.ossignal is ascrapy.utils.ossignal itself."""

import ascrapy.utils.ossignal
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.ossignal)
