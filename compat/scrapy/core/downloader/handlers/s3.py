"""scrapy.core.downloader.handlers.s3: Scrapy's names, from ascrapy.handlers.s3."""

from ascrapy.handlers.s3 import S3DownloadHandler
