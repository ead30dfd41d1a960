"""scrapy.utils._compression: Scrapy's names, from ascrapy.utils._compression."""

from ascrapy.utils._compression import _CHUNK_SIZE, _DecompressionMaxSizeExceeded
