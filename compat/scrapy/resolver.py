"""scrapy.resolver: Scrapy's names, from ascrapy.resolver."""

from ascrapy.resolver import CachingThreadedResolver, dnscache
