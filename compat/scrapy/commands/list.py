"""scrapy.commands.list: Scrapy's names, from ascrapy.cli.list."""

from ascrapy.cli.list import Command
