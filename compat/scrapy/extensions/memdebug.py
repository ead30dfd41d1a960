"""scrapy.extensions.memdebug: Scrapy's names, from ascrapy.extensions.memdebug."""

from ascrapy.extensions.memdebug import MemoryDebugger
