"""scrapy.pipelines: Scrapy's names, from ascrapy.pipelines."""

from ascrapy.pipelines import ItemPipelineManager
