"""scrapy.loader.processors: Scrapy's names, from ascrapy.loader.processors."""

from ascrapy.loader.processors import Compose, Identity, Join, MapCompose, SelectJmes, TakeFirst
