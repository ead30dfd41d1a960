"""scrapy.commands.runspider is ascrapy.cli.runspider itself."""

import ascrapy.cli.runspider
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.runspider)
