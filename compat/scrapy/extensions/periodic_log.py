"""scrapy.extensions.periodic_log: Scrapy's names, from ascrapy.extensions.periodic_log."""

from ascrapy.extensions.periodic_log import PeriodicLog
