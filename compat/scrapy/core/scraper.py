"""scrapy.core.scraper: Scrapy's names, from ascrapy.engine.scraper."""

from ascrapy.engine.scraper import Scraper
