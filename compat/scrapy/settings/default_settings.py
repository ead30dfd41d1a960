"""scrapy.settings.default_settings is ascrapy.settings.defaults itself."""

import ascrapy.settings.defaults
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.settings.defaults)
