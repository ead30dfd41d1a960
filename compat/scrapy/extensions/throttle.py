"""scrapy.extensions.throttle is ascrapy.extensions.throttle itself."""

import ascrapy.extensions.throttle
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider

alias_module(__name__, ascrapy.extensions.throttle, Request=Request, Spider=Spider)
