"""Item loaders: how raw text from the pages becomes ThreadItem and MemberItem values.

ThreadLoader imports its processors from the old ``scrapy.loader.processors`` path that
many projects still use (Scrapy itself removed it in 2.12; ascrapy keeps it); MemberLoader
imports them from ``itemloaders.processors``, where they live now.
"""

import re

from itemloaders.processors import Compose, MapCompose as ItemMapCompose, TakeFirst as ItemTakeFirst
from scrapy.loader import ItemLoader
from scrapy.loader.processors import Identity, Join, MapCompose, TakeFirst

from forum.items import MemberItem, ThreadItem


def parse_count(text):
    """'3,377 posts' -> 3377."""
    match = re.search(r"\d[\d,]*", text)
    return int(match.group().replace(",", "")) if match else None


class ThreadLoader(ItemLoader):
    default_item_class = ThreadItem
    default_input_processor = MapCompose(str.strip)
    default_output_processor = TakeFirst()

    thread_id_in = MapCompose(int)
    post_count_in = MapCompose(int)
    tags_out = Identity()
    first_post_out = Join("\n")


class MemberLoader(ItemLoader):
    default_item_class = MemberItem
    default_input_processor = ItemMapCompose(str.strip)
    default_output_processor = ItemTakeFirst()

    role_in = ItemMapCompose(str.strip, str.lower)
    posts_in = ItemMapCompose(str.strip, parse_count)
    name_out = Compose(ItemTakeFirst(), lambda name: re.sub(r"\s+", " ", name))
