"""scrapy.spiders: Scrapy's names, from ascrapy.spiders."""

from ascrapy.spiders import Spider, __getattr__

__all__ = [
    "CSVFeedSpider",
    "CrawlSpider",
    "Rule",
    "SitemapSpider",
    "Spider",
    "XMLFeedSpider",
]
