"""scrapy.dupefilters: Scrapy's names, from ascrapy.dupefilters."""

from ascrapy.dupefilters import BaseDupeFilter, RFPDupeFilter
