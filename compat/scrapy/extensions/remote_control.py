"""scrapy.extensions.remote_control is ascrapy.extensions.remote_control itself."""

import ascrapy.extensions.remote_control
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import is_asyncio_available

alias_module(__name__, ascrapy.extensions.remote_control, is_asyncio_available=is_asyncio_available)
