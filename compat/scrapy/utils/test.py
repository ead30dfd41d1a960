"""scrapy.utils.test is ascrapy.utils.test itself."""

import ascrapy.utils.test
from ascrapy.utils.module_alias import alias_module
from ascrapy.crawler import AsyncCrawlerRunner, CrawlerRunner, CrawlerRunnerBase
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.reactor import is_asyncio_reactor_installed, is_reactor_installed
from ascrapy.utils.spider import DefaultSpider

alias_module(
    __name__,
    ascrapy.utils.test,
    AsyncCrawlerRunner=AsyncCrawlerRunner,
    CrawlerRunner=CrawlerRunner,
    CrawlerRunnerBase=CrawlerRunnerBase,
    DefaultSpider=DefaultSpider,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
    is_asyncio_reactor_installed=is_asyncio_reactor_installed,
    is_reactor_installed=is_reactor_installed,
)
