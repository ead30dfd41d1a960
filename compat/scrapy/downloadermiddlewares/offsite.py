"""scrapy.downloadermiddlewares.offsite: Scrapy's names, from ascrapy.middleware.downloader.offsite."""

from ascrapy.middleware.downloader.offsite import OffsiteMiddleware
