"""scrapy.extensions.logcount: Scrapy's names, from ascrapy.extensions.logcount."""

from ascrapy.extensions.logcount import LogCount
