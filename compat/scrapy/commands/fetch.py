"""scrapy.commands.fetch: Scrapy's names, from ascrapy.cli.fetch."""

from ascrapy.cli.fetch import Command
