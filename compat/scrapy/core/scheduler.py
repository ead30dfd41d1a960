"""scrapy.core.scheduler: Scrapy's names, from ascrapy.engine.frontier."""

from ascrapy.engine.frontier import Frontier as Scheduler
