"""scrapy.utils._deps_compat is ascrapy.utils._deps_compat itself."""

import ascrapy.utils._deps_compat
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils._deps_compat)
