"""scrapy.utils.sitemap: Scrapy's names, from ascrapy.utils.sitemap."""

from ascrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
