"""scrapy.commands.startproject: Scrapy's names, from ascrapy.cli.startproject."""

from ascrapy.cli.startproject import Command, IGNORE, TEMPLATES_TO_RENDER
