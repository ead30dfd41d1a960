"""scrapy.core.downloader.handlers.ftp is ascrapy.handlers.ftp itself."""

import ascrapy.handlers.ftp
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.defer import maybe_deferred_to_future

alias_module(__name__, ascrapy.handlers.ftp, maybe_deferred_to_future=maybe_deferred_to_future)
