"""scrapy.downloadermiddlewares.stats: Scrapy's names, from ascrapy.middleware.downloader.stats."""

from ascrapy.middleware.downloader.stats import DownloaderStats, get_header_size, get_status_size
