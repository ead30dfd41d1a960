"""scrapy.core.downloader.handlers.http is ascrapy.handlers.http itself."""

import ascrapy.handlers.http
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning

alias_module(__name__, ascrapy.handlers.http, ScrapyDeprecationWarning=ScrapyDeprecationWarning)
