"""scrapy.commands.edit is ascrapy.cli.edit itself."""

import ascrapy.cli.edit
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.edit)
