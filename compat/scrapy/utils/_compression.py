"""scrapy.utils._compression is ascrapy.utils._compression itself."""

import ascrapy.utils._compression
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils._compression)
