"""scrapy.commands.genspider is ascrapy.cli.genspider itself."""

import ascrapy.cli.genspider
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.genspider)
