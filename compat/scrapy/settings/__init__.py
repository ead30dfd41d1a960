"""scrapy.settings is ascrapy.settings itself: tests patch its default_settings and SETTINGS_PRIORITIES."""

import ascrapy.settings
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.misc import load_object
from ascrapy.utils.python import global_object_name

alias_module(
    __name__,
    ascrapy.settings,
    global_object_name=global_object_name,
    load_object=load_object,
)
