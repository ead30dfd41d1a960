"""scrapy.spiders.crawl: Scrapy's names, from ascrapy.spiders.crawl."""

from ascrapy.spiders.crawl import CrawlSpider, ProcessLinksT, ProcessRequestT, Rule
