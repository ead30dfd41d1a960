"""scrapy.extensions.telnet is ascrapy.extensions.telnet itself."""

import ascrapy.extensions.telnet
import ascrapy.signals
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.engine import print_engine_status
from ascrapy.utils.reactor import listen_tcp
from ascrapy.utils.trackref import print_live_refs

alias_module(
    __name__,
    ascrapy.extensions.telnet,
    listen_tcp=listen_tcp,
    print_engine_status=print_engine_status,
    print_live_refs=print_live_refs,
    signals=ascrapy.signals,
)
