"""scrapy.spiders.crawl is ascrapy.spiders.crawl itself."""

import ascrapy.spiders.crawl
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.deprecate import method_is_overridden
from ascrapy.utils.spider import iterate_spider_output

alias_module(
    __name__,
    ascrapy.spiders.crawl,
    iterate_spider_output=iterate_spider_output,
    method_is_overridden=method_is_overridden,
)
