"""scrapy.commands.runspider: Scrapy's names, from ascrapy.cli.runspider."""

from ascrapy.cli.runspider import Command
