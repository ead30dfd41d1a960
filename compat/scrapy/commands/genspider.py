"""scrapy.commands.genspider: Scrapy's names, from ascrapy.cli.genspider."""

from ascrapy.cli.genspider import Command, extract_domain, sanitize_module_name, verify_url_scheme
