"""scrapy.utils: Scrapy's names, from ascrapy."""
