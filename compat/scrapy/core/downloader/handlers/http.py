"""scrapy.core.downloader.handlers.http: Scrapy's names, from ascrapy.handlers.http."""

from ascrapy.handlers.http import HTTPDownloadHandler

__all__ = [
    "HTTPDownloadHandler",
]
