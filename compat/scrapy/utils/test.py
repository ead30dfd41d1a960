"""scrapy.utils.test: Scrapy's names, from ascrapy.utils.test."""

from ascrapy.utils.test import (
    get_crawler,
    get_from_asyncio_queue,
    get_pythonpath,
    get_reactor_settings,
    get_testenv,
)
