"""scrapy.spidermiddlewares.urllength: Scrapy's names, from ascrapy.middleware.spider.urllength."""

from ascrapy.middleware.spider.urllength import UrlLengthMiddleware
