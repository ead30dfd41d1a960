"""scrapy.utils.template: Scrapy's names, from ascrapy."""

from ascrapy.cli.startproject import render_templatefile, string_camelcase
