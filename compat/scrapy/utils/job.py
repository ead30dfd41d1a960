"""scrapy.utils.job is ascrapy.utils.job itself."""

import ascrapy.utils.job
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.job)
