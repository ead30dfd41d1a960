"""scrapy.mail is ascrapy.mail itself."""

import ascrapy.mail
from ascrapy.utils.module_alias import alias_module
from ascrapy.utils.reactorless import is_reactorless

alias_module(__name__, ascrapy.mail, is_reactorless=is_reactorless)
