"""scrapy.linkextractors: Scrapy's names, from ascrapy.linkextractors."""

from ascrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

__all__ = [
    "IGNORED_EXTENSIONS",
    "LinkExtractor",
]
