"""scrapy.utils.engine: Scrapy's names, from ascrapy.utils.engine."""

from ascrapy.utils.engine import format_engine_status, get_engine_status, print_engine_status
