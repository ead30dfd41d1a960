"""scrapy.commands.view: Scrapy's names, from ascrapy.cli.view."""

from ascrapy.cli.view import Command
