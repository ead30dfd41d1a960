"""scrapy.utils.decorators: Scrapy's names, from ascrapy.utils.decorators."""

from ascrapy.utils.decorators import _warn_spider_arg, defers, deprecated, inthread
