"""scrapy.core.engine: Scrapy's names, from ascrapy.engine.engine."""

from ascrapy.engine.engine import ExecutionEngine, _Slot
