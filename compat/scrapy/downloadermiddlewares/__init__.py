"""scrapy.downloadermiddlewares: Scrapy's names, from ascrapy."""
