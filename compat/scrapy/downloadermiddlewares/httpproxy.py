"""scrapy.downloadermiddlewares.httpproxy: Scrapy's names, from ascrapy.middleware.downloader.httpproxy."""

from ascrapy.middleware.downloader.httpproxy import HttpProxyMiddleware
