"""scrapy.spiders: Scrapy's names, from ascrapy.spiders."""

from ascrapy.spiders import CSVFeedSpider, CrawlSpider, Rule, SitemapSpider, Spider, XMLFeedSpider

__all__ = [
    "CSVFeedSpider",
    "CrawlSpider",
    "Rule",
    "SitemapSpider",
    "Spider",
    "XMLFeedSpider",
]
