"""Built-in spider middlewares, one module each (Scrapy's scrapy.spidermiddlewares)."""
