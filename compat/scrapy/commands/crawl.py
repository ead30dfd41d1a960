"""scrapy.commands.crawl: Scrapy's names, from ascrapy.cli.crawl."""

from ascrapy.cli.crawl import Command
