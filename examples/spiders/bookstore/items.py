"""The items the bookstore spiders scrape, and the loader that fills a BookItem."""

from __future__ import annotations

from itemloaders.processors import MapCompose, TakeFirst

import ascrapy
from ascrapy.loader import ItemLoader


class BookItem(ascrapy.Item):
    title = ascrapy.Field()
    price = ascrapy.Field()
    availability = ascrapy.Field()
    category = ascrapy.Field()
    url = ascrapy.Field()


class BookLoader(ItemLoader):
    """Strips every value and keeps the first non-empty one; the pipeline parses the price."""

    default_item_class = BookItem
    default_input_processor = MapCompose(str.strip)
    default_output_processor = TakeFirst()
