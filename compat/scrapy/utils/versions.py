"""scrapy.utils.versions: Scrapy's names, from ascrapy."""

from ascrapy.utils.log import get_versions
