"""scrapy.spidermiddlewares.start: Scrapy's names, from ascrapy.middleware.spider.start."""

from ascrapy.middleware.spider.start import StartSpiderMiddleware
