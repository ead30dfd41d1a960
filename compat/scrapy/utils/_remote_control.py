"""scrapy.utils._remote_control is ascrapy.utils._remote_control itself."""

import ascrapy.utils._remote_control
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils._remote_control)
