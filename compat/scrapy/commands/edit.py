"""scrapy.commands.edit: Scrapy's names, from ascrapy.cli.edit."""

from ascrapy.cli.edit import Command
