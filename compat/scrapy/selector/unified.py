"""scrapy.selector.unified is ascrapy.selector itself."""

import ascrapy.selector
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.trackref import object_ref

alias_module(__name__, ascrapy.selector, object_ref=object_ref)
