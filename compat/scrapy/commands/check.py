"""scrapy.commands.check is ascrapy.cli.check itself: tests patch its ContractsManager."""

import sys

import ascrapy.cli.check

sys.modules[__name__] = ascrapy.cli.check
