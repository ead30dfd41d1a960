"""scrapy.exporters is ascrapy.exporters itself."""

import ascrapy.exporters
from ascrapy.utils.module_alias import alias_module
from ascrapy.item import Field, Item
from ascrapy.utils.python import is_listlike, to_bytes, to_unicode

alias_module(
    __name__,
    ascrapy.exporters,
    Field=Field,
    Item=Item,
    is_listlike=is_listlike,
    to_bytes=to_bytes,
    to_unicode=to_unicode,
)
