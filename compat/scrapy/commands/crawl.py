"""scrapy.commands.crawl is ascrapy.cli.crawl itself."""

import ascrapy.cli.crawl
from ascrapy.utils.module_alias import alias_module

alias_module(__name__, ascrapy.cli.crawl)
