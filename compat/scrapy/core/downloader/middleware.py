"""scrapy.core.downloader.middleware: Scrapy's names, from ascrapy.middleware.downloadermw."""

from ascrapy.middleware.downloadermw import DownloaderMiddlewareManager
