"""scrapy.commands.bench: Scrapy's names, from ascrapy.cli.bench."""

from ascrapy.cli.bench import Command
