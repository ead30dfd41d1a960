"""scrapy.commands.shell: Scrapy's names, from ascrapy.cli.shell."""

from ascrapy.cli.shell import Command
