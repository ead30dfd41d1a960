"""scrapy.downloadermiddlewares.robotstxt is ascrapy.middleware.downloader.robotstxt itself: tests patch its logger."""

import sys

import ascrapy.middleware.downloader.robotstxt

sys.modules[__name__] = ascrapy.middleware.downloader.robotstxt
