"""scrapy.commands.version: Scrapy's names, from ascrapy.cli.version."""

from ascrapy.cli.version import Command
