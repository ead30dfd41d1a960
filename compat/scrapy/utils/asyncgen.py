"""scrapy.utils.asyncgen: Scrapy's names, from ascrapy.utils.asyncgen."""

from ascrapy.utils.asyncgen import as_async_generator, collect_asyncgen
