"""scrapy.spiderloader is ascrapy.spiderloader itself."""

import ascrapy.spiderloader
from ascrapy.utils.module_alias import alias_module
from ascrapy import Request, Spider

alias_module(__name__, ascrapy.spiderloader, Request=Request, Spider=Spider)
