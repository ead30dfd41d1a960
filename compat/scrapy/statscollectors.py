"""scrapy.statscollectors: Scrapy's names, from ascrapy.stats."""

from ascrapy.stats import DummyStatsCollector, MemoryStatsCollector, StatsCollector
