"""scrapy.commands.parse: Scrapy's names, from ascrapy.cli.parse."""

from ascrapy.cli.parse import Command
