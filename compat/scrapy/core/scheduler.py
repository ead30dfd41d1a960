"""scrapy.core.scheduler is ascrapy.engine.scheduler itself."""

import ascrapy.engine.scheduler
from ascrapy.utils.module_alias import alias_module
from ascrapy.spiders import Spider

alias_module(__name__, ascrapy.engine.scheduler, Spider=Spider)
