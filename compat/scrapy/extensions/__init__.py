"""scrapy.extensions: Scrapy's names, from ascrapy."""
