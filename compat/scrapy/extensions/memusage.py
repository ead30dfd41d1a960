"""scrapy.extensions.memusage: Scrapy's names, from ascrapy.extensions.memusage."""

from ascrapy.extensions.memusage import MemoryUsage
