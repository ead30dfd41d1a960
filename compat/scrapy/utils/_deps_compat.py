"""scrapy.utils._deps_compat: Scrapy's names, from ascrapy.utils._deps_compat."""

from ascrapy.utils._deps_compat import (
    PARSEL_SUPPORTS_JMESPATH,
    PARSEL_VERSION,
    STDLIB_IMPROVED_ROBOTFILEPARSER,
)
