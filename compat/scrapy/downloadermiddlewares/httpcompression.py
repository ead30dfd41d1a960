"""scrapy.downloadermiddlewares.httpcompression: Scrapy's names, from ascrapy.middleware.downloader.httpcompression."""

from ascrapy.middleware.downloader.httpcompression import (
    ACCEPTED_ENCODINGS,
    HttpCompressionMiddleware,
)
