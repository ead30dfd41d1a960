"""scrapy.contracts is ascrapy.contracts itself."""

import ascrapy.contracts
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import Response
from ascrapy.utils.asyncgen import collect_asyncgen

alias_module(__name__, ascrapy.contracts, Response=Response, collect_asyncgen=collect_asyncgen)
