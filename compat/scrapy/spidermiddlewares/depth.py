"""scrapy.spidermiddlewares.depth: Scrapy's names, from ascrapy.middleware.spider.depth."""

from ascrapy.middleware.spider.depth import DepthMiddleware
