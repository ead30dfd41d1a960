"""scrapy.spidermiddlewares: Scrapy's names, from ascrapy."""
