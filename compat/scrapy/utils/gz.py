"""scrapy.utils.gz: Scrapy's names, from ascrapy.utils.gz."""

from ascrapy.utils.gz import gunzip, gzip_magic_number
