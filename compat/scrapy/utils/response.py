"""scrapy.utils.response is ascrapy.utils.response itself."""

import ascrapy.utils.response
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import to_unicode

alias_module(__name__, ascrapy.utils.response, to_unicode=to_unicode)
