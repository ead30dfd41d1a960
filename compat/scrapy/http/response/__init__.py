"""scrapy.http.response is ascrapy.http.response itself."""

import ascrapy.http.response
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.trackref import object_ref

alias_module(__name__, ascrapy.http.response, object_ref=object_ref)
