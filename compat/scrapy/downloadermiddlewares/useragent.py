"""scrapy.downloadermiddlewares.useragent: Scrapy's names, from ascrapy.middleware.downloader.useragent."""

from ascrapy.middleware.downloader.useragent import UserAgentMiddleware
