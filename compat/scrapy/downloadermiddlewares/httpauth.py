"""scrapy.downloadermiddlewares.httpauth: Scrapy's names, from ascrapy.middleware.downloader.httpauth."""

from ascrapy.middleware.downloader.httpauth import HttpAuthMiddleware
