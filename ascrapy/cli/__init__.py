"""The command line: one module per command, its module name being the command name.

The base classes are re-exported here because Scrapy projects import them from the
commands package (``scrapy.commands.ScrapyCommand``).
"""

from ascrapy.cli.base import (
    BaseRunSpiderCommand,
    Command,
    ScrapyCommand,
    ScrapyHelpFormatter,
)

__all__ = ["BaseRunSpiderCommand", "Command", "ScrapyCommand", "ScrapyHelpFormatter"]
