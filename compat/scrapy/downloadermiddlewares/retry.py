"""scrapy.downloadermiddlewares.retry is ascrapy.middleware.downloader.retry itself."""

import ascrapy.middleware.downloader.retry
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import global_object_name

alias_module(__name__, ascrapy.middleware.downloader.retry, global_object_name=global_object_name)
