"""scrapy.middleware: Scrapy's names, from ascrapy.middleware.manager."""

from ascrapy.middleware.manager import MiddlewareManager
