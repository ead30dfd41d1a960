"""scrapy.extensions.throttle: Scrapy's names, from ascrapy.extensions.throttle."""

from ascrapy.extensions.throttle import AutoThrottle
