"""scrapy.commands.list is ascrapy.cli.list itself."""

import ascrapy.cli.list
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.list)
