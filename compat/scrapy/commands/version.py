"""scrapy.commands.version is ascrapy.cli.version itself."""

import ascrapy.cli.version
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.version)
