"""scrapy.core.downloader.handlers: Scrapy's names, from ascrapy.handlers."""

from ascrapy.handlers import DownloadHandlerProtocol, DownloadHandlers
