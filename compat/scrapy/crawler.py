"""scrapy.crawler: Scrapy's names, from ascrapy.crawler."""

from ascrapy.crawler import (
    AsyncCrawlerProcess,
    AsyncCrawlerRunner,
    Crawler,
    CrawlerProcess,
    CrawlerRunner,
)
