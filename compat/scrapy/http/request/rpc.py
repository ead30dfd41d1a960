"""scrapy.http.request.rpc is ascrapy.http.request.rpc itself."""

import ascrapy.http.request.rpc
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.python import get_func_args

alias_module(__name__, ascrapy.http.request.rpc, get_func_args=get_func_args)
