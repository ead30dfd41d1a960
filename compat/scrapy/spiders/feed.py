"""scrapy.spiders.feed is ascrapy.spiders.feed itself."""

import ascrapy.spiders.feed
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.spider import iterate_spider_output

alias_module(__name__, ascrapy.spiders.feed, iterate_spider_output=iterate_spider_output)
