"""scrapy.commands.settings is ascrapy.cli.settings itself."""

import ascrapy.cli.settings
from ascrapy.utils.module_alias import alias_module
from ascrapy.settings import BaseSettings

alias_module(__name__, ascrapy.cli.settings, BaseSettings=BaseSettings)
