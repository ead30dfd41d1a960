"""scrapy.http.request.json_request is ascrapy.http.request.json_request itself."""

import ascrapy.http.request.json_request
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.http.request.json_request)
