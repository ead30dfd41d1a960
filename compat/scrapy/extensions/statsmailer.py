"""scrapy.extensions.statsmailer: Scrapy's names, from ascrapy.extensions.statsmailer."""

from ascrapy.extensions.statsmailer import StatsMailer
