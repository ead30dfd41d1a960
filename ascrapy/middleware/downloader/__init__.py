"""Built-in downloader middlewares, one module each (Scrapy's scrapy.downloadermiddlewares)."""
