"""scrapy.utils.trackref: Scrapy's names, from ascrapy.utils.trackref."""

from ascrapy.utils.trackref import (
    format_live_refs,
    get_oldest,
    iter_all,
    live_refs,
    object_ref,
    print_live_refs,
)
