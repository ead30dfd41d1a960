"""scrapy.core.spidermw: Scrapy's names, from ascrapy.middleware.spidermw."""

from ascrapy.middleware.spidermw import ScrapeFunc, SpiderMiddlewareManager
