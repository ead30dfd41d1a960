"""scrapy.item is ascrapy.item itself."""

import ascrapy.item
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.trackref import object_ref

alias_module(__name__, ascrapy.item, object_ref=object_ref)
