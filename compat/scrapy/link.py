"""scrapy.link: Scrapy's names, from ascrapy.link."""

from ascrapy.link import Link
