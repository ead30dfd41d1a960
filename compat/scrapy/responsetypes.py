"""scrapy.responsetypes is ascrapy.responsetypes itself."""

import ascrapy.responsetypes
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import to_unicode

alias_module(__name__, ascrapy.responsetypes, to_unicode=to_unicode)
