"""scrapy.core.downloader.handlers.ftp: Scrapy's names, from ascrapy.handlers.ftp."""

from ascrapy.handlers.ftp import FTPDownloadHandler
