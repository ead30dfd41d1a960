"""scrapy.downloadermiddlewares.robotstxt: Scrapy's names, from ascrapy.middleware.downloader.robotstxt."""

from ascrapy.middleware.downloader.robotstxt import RobotsTxtMiddleware
