"""scrapy.utils.serialize: Scrapy's names, from ascrapy."""

from ascrapy.exporters.json_encoder import ScrapyJSONEncoder
