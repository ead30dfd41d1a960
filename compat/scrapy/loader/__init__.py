"""scrapy.loader: Scrapy's names, from ascrapy.loader."""

from ascrapy.loader import ItemLoader
