"""scrapy.core.downloader.handlers.file is ascrapy.handlers.file itself."""

import ascrapy.handlers.file
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.asyncio import run_in_thread

alias_module(__name__, ascrapy.handlers.file, run_in_thread=run_in_thread)
