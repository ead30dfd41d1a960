"""scrapy.linkextractors is ascrapy.linkextractors itself."""

import ascrapy.linkextractors
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.linkextractors)
