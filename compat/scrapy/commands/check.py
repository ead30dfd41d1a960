"""scrapy.commands.check is ascrapy.cli.check itself: tests patch its ContractsManager."""

import ascrapy.cli.check
from ascrapy.utils.module_alias import alias_module
from ascrapy import Spider
from ascrapy.exceptions import UsageError
from ascrapy.utils.conf import arglist_to_dict

alias_module(
    __name__,
    ascrapy.cli.check,
    Spider=Spider,
    UsageError=UsageError,
    arglist_to_dict=arglist_to_dict,
)
