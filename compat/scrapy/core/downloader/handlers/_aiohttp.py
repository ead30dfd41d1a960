"""scrapy.core.downloader.handlers._aiohttp: Scrapy's names, from ascrapy."""

from ascrapy.handlers.http import HTTPDownloadHandler as AiohttpDownloadHandler
