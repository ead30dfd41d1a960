"""scrapy.core.downloader.handlers.http11: Scrapy's names, from ascrapy."""

from ascrapy.handlers.http import HTTPDownloadHandler as HTTP11DownloadHandler
from ascrapy.handlers.http_errors import TunnelError
