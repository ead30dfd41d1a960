"""scrapy.downloadermiddlewares.defaultheaders is ascrapy.middleware.downloader.defaultheaders itself."""

import ascrapy.middleware.downloader.defaultheaders
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import without_none_values

alias_module(
    __name__,
    ascrapy.middleware.downloader.defaultheaders,
    without_none_values=without_none_values,
)
