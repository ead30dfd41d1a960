"""scrapy.commands.fetch is ascrapy.cli.fetch itself."""

import ascrapy.cli.fetch
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response

alias_module(__name__, ascrapy.cli.fetch, Response=Response)
