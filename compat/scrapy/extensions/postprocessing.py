"""scrapy.extensions.postprocessing is ascrapy.extensions.postprocessing itself."""

import ascrapy.extensions.postprocessing
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.extensions.postprocessing)
