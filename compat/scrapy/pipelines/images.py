"""scrapy.pipelines.images: Scrapy's names, from ascrapy.pipelines.images."""

from ascrapy.pipelines.images import ImageException, ImagesPipeline
