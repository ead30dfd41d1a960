"""scrapy.utils.python: Scrapy's names, from ascrapy.utils.python."""

from ascrapy.utils.python import (
    MutableAsyncChain,
    MutableChain,
    _looks_like_import_path,
    binary_is_text,
    garbage_collect,
    get_func_args,
    get_func_args_dict,
    get_spec,
    global_object_name,
    is_listlike,
    memoizemethod_noargs,
    re_rsearch,
    to_bytes,
    to_unicode,
    unique,
    without_none_values,
)
