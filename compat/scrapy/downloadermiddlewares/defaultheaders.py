"""scrapy.downloadermiddlewares.defaultheaders: Scrapy's names, from ascrapy.middleware.downloader.defaultheaders."""

from ascrapy.middleware.downloader.defaultheaders import DefaultHeadersMiddleware
