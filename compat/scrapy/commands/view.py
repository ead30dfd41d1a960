"""scrapy.commands.view is ascrapy.cli.view itself."""

import ascrapy.cli.view
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response

alias_module(__name__, ascrapy.cli.view, Response=Response)
