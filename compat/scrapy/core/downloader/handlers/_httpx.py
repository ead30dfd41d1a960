"""scrapy.core.downloader.handlers._httpx: Scrapy's names, from ascrapy."""

from ascrapy.handlers.http import HTTPDownloadHandler as HttpxDownloadHandler
