"""scrapy.utils.conf is ascrapy.utils.conf itself."""

import ascrapy.utils.conf
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.deprecate import update_classpath
from ascrapy.utils.python import without_none_values

alias_module(
    __name__,
    ascrapy.utils.conf,
    update_classpath=update_classpath,
    without_none_values=without_none_values,
)
