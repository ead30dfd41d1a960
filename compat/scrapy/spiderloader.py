"""scrapy.spiderloader: Scrapy's names, from ascrapy.spiderloader."""

from ascrapy.spiderloader import (
    DummySpiderLoader,
    SpiderLoader,
    SpiderLoaderProtocol,
    get_spider_loader,
)
