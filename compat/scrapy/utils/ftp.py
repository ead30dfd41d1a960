"""scrapy.utils.ftp: Scrapy's names, from ascrapy.utils.ftp."""

from ascrapy.utils.ftp import ftp_makedirs_cwd, ftp_store_file
