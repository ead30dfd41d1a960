"""scrapy.extensions.logcount is ascrapy.extensions.logcount itself."""

import ascrapy.extensions.logcount
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.extensions.logcount, Spider=Spider)
