"""scrapy.extensions.closespider: Scrapy's names, from ascrapy.extensions.closespider."""

from ascrapy.extensions.closespider import CloseSpider
