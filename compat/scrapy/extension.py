"""scrapy.extension: Scrapy's names, from ascrapy.extension."""

from ascrapy.extension import ExtensionManager
