"""scrapy.utils.job: Scrapy's names, from ascrapy.utils.job."""

from ascrapy.utils.job import job_dir
