"""scrapy.utils.misc: Scrapy's names, from ascrapy.utils.misc."""

from ascrapy.utils.misc import (
    arg_to_iter,
    build_from_crawler,
    create_instance,
    is_generator_with_return_value,
    load_object,
    rel_has_nofollow,
    set_environ,
    walk_modules,
)
