"""scrapy.downloadermiddlewares.retry: Scrapy's names, from ascrapy.middleware.downloader.retry."""

from ascrapy.middleware.downloader.retry import RetryMiddleware, get_retry_request
