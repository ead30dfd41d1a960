"""scrapy.commands.settings: Scrapy's names, from ascrapy.cli.settings."""

from ascrapy.cli.settings import Command
