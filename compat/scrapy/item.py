"""scrapy.item: Scrapy's names, from ascrapy.item."""

from ascrapy.item import Field, Item, ItemMeta
