"""scrapy.extensions.statsmailer is ascrapy.extensions.statsmailer itself."""

import ascrapy.extensions.statsmailer
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider

alias_module(__name__, ascrapy.extensions.statsmailer, Spider=Spider)
