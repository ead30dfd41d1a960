"""scrapy.utils.spider: Scrapy's names, from ascrapy.utils.spider."""

from ascrapy.utils.spider import (
    DefaultSpider,
    iter_spider_classes,
    iterate_spider_output,
    spidercls_for_request,
)
