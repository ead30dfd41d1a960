"""scrapy.crawler: Scrapy's names, from ascrapy.crawler."""

from ascrapy.crawler import (
    AsyncCrawlerProcess,
    AsyncCrawlerRunner,
    Crawler,
    CrawlerProcess,
    CrawlerProcessBase,
    CrawlerRunner,
    CrawlerRunnerBase,
)
