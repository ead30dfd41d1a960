"""scrapy.utils.boto: Scrapy's names, from ascrapy."""

from ascrapy.pipelines.files import is_botocore_available
