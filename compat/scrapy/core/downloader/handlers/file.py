"""scrapy.core.downloader.handlers.file: Scrapy's names, from ascrapy.handlers.file."""

from ascrapy.handlers.file import FileDownloadHandler
