"""scrapy.http.response.html is ascrapy.http.response.html itself."""

import ascrapy.http.response.html
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http.response.html)
