"""scrapy.utils.project is ascrapy.utils.project itself."""

import ascrapy.utils.project
from ascrapy.utils.module_alias import alias_module
from ascrapy.settings import Settings

alias_module(__name__, ascrapy.utils.project, Settings=Settings)
