"""scrapy.core.downloader.handlers.datauri is ascrapy.handlers.datauri itself."""

import ascrapy.handlers.datauri
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response

alias_module(__name__, ascrapy.handlers.datauri, Response=Response)
