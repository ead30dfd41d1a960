"""scrapy.utils.misc is ascrapy.utils.misc itself: tests patch its is_generator_with_return_value."""

import ascrapy.utils.misc
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.datatypes import LocalWeakReferencedCache

alias_module(__name__, ascrapy.utils.misc, LocalWeakReferencedCache=LocalWeakReferencedCache)
