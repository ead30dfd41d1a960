"""scrapy.downloadermiddlewares.cookies: Scrapy's names, from ascrapy.middleware.downloader.cookies."""

from ascrapy.middleware.downloader.cookies import CookiesMiddleware
