"""scrapy.http.response.json is ascrapy.http.response.json itself."""

import ascrapy.http.response.json
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http.response.json)
