"""scrapy.spiders.sitemap: Scrapy's names, from ascrapy.spiders.sitemap."""

from ascrapy.spiders.sitemap import SitemapSpider, iterloc, regex
