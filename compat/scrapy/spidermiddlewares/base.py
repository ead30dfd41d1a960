"""scrapy.spidermiddlewares.base: Scrapy's names, from ascrapy.middleware.spider.base."""

from ascrapy.middleware.spider.base import BaseSpiderMiddleware
