"""scrapy.spidermiddlewares.httperror: Scrapy's names, from ascrapy.middleware.spider.httperror."""

from ascrapy.middleware.spider.httperror import HttpError, HttpErrorMiddleware
