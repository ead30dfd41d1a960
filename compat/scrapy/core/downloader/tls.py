"""scrapy.core.downloader.tls is ascrapy.utils.twisted_tls itself."""

import ascrapy.utils.twisted_tls
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.deprecate import create_deprecated_class

alias_module(
    __name__,
    ascrapy.utils.twisted_tls,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    create_deprecated_class=create_deprecated_class,
)
