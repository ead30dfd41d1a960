"""scrapy.core.scheduler: Scrapy's names, from ascrapy.engine.scheduler."""

from ascrapy.engine.scheduler import BaseScheduler, BaseSchedulerMeta, Scheduler
