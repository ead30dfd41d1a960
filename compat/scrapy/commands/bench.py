"""scrapy.commands.bench is ascrapy.cli.bench itself."""

import ascrapy.cli.bench
from ascrapy.utils.module_alias import alias_module
from ascrapy.http import TextResponse
from ascrapy.utils.test import get_testenv

alias_module(__name__, ascrapy.cli.bench, TextResponse=TextResponse, get_testenv=get_testenv)
