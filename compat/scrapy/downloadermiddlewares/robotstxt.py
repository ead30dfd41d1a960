"""scrapy.downloadermiddlewares.robotstxt is ascrapy.middleware.downloader.robotstxt itself: tests patch its logger."""

import ascrapy.middleware.downloader.robotstxt
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response
from ascrapy.utils.defer import maybe_deferred_to_future

alias_module(
    __name__,
    ascrapy.middleware.downloader.robotstxt,
    Response=Response,
    maybe_deferred_to_future=maybe_deferred_to_future,
)
