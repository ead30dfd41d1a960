"""scrapy.core.downloader.handlers.datauri: Scrapy's names, from ascrapy.handlers.datauri."""

from ascrapy.handlers.datauri import DataURIDownloadHandler
