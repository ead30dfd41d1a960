"""scrapy.utils.request is ascrapy.utils.request itself."""

import ascrapy.utils.request
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.utils.request, Spider=Spider)
