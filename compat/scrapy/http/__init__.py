"""scrapy.http is ascrapy.http itself."""

import ascrapy.http
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http)
