"""scrapy.http.cookies is ascrapy.http.cookies itself."""

import ascrapy.http.cookies
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http.cookies)
