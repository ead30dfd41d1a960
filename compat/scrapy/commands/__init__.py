"""scrapy.commands: Scrapy's names, from ascrapy.cli."""

from ascrapy.cli import BaseRunSpiderCommand, ScrapyCommand, ScrapyHelpFormatter
