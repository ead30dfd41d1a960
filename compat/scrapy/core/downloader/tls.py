"""scrapy.core.downloader.tls: Scrapy's names, from ascrapy.utils.twisted_tls."""

from ascrapy.utils.twisted_tls import _TWISTED_VERSION_MAP
