"""scrapy.spiders.feed: Scrapy's names, from ascrapy.spiders.feed."""

from ascrapy.spiders.feed import CSVFeedSpider, XMLFeedSpider
