"""scrapy.spiders is ascrapy.spiders itself."""

import ascrapy.spiders
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response

alias_module(__name__, ascrapy.spiders, Response=Response)
