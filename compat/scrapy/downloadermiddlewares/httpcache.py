"""scrapy.downloadermiddlewares.httpcache: Scrapy's names, from ascrapy.middleware.downloader.httpcache."""

from ascrapy.middleware.downloader.httpcache import HttpCacheMiddleware
