"""scrapy.downloadermiddlewares.downloadtimeout: Scrapy's names, from ascrapy.middleware.downloader.downloadtimeout."""

from ascrapy.middleware.downloader.downloadtimeout import DownloadTimeoutMiddleware
