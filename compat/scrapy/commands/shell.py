"""scrapy.commands.shell is ascrapy.cli.shell itself."""

import ascrapy.cli.shell
from ascrapy.utils.module_alias import alias_module
from ascrapy.crawler import AsyncCrawlerProcess, Crawler
from ascrapy.shell import Shell

alias_module(
    __name__,
    ascrapy.cli.shell,
    AsyncCrawlerProcess=AsyncCrawlerProcess,
    Crawler=Crawler,
    Shell=Shell,
)
