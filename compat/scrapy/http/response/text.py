"""scrapy.http.response.text is ascrapy.http.response.text itself."""

import ascrapy.http.response.text
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import memoizemethod_noargs

alias_module(__name__, ascrapy.http.response.text, memoizemethod_noargs=memoizemethod_noargs)
