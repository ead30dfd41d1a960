"""scrapy.extensions.spiderstate: Scrapy's names, from ascrapy.extensions.spiderstate."""

from ascrapy.extensions.spiderstate import SpiderState
