"""scrapy.commands.startproject is ascrapy.cli.startproject itself."""

import ascrapy.cli.startproject
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.startproject)
