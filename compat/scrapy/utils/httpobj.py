"""scrapy.utils.httpobj is ascrapy.utils.httpobj itself."""

import ascrapy.utils.httpobj
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.httpobj)
