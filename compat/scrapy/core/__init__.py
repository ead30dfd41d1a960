"""scrapy.core: Scrapy's names, from ascrapy."""
