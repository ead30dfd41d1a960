"""scrapy.utils.ftp is ascrapy.utils.ftp itself."""

import ascrapy.utils.ftp
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.utils.ftp)
