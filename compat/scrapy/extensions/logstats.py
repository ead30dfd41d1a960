"""scrapy.extensions.logstats: Scrapy's names, from ascrapy.extensions.logstats."""

from ascrapy.extensions.logstats import LogStats
