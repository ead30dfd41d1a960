"""scrapy.http.response.xml is ascrapy.http.response.xml itself."""

import ascrapy.http.response.xml
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http.response.xml)
