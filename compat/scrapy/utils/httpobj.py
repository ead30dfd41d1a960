"""scrapy.utils.httpobj: Scrapy's names, from ascrapy.utils.httpobj."""

from ascrapy.utils.httpobj import urlparse_cached
