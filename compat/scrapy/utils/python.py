"""scrapy.utils.python is ascrapy.utils.python itself."""

import ascrapy.utils.python
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncgen import as_async_generator

alias_module(__name__, ascrapy.utils.python, as_async_generator=as_async_generator)
