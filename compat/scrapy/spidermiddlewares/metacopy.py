"""scrapy.spidermiddlewares.metacopy: Scrapy's names, from ascrapy.middleware.spider.metacopy."""

from ascrapy.middleware.spider.metacopy import MetaCopyDetectionMiddleware
