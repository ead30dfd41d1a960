"""scrapy.contracts.default is ascrapy.contracts.default itself."""

import ascrapy.contracts.default
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.contracts.default)
