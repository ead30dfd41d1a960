"""scrapy.exporters: Scrapy's names, from ascrapy.exporters."""

from ascrapy.exporters import __getattr__

__all__ = [
    "BaseItemExporter",
    "CsvItemExporter",
    "JsonItemExporter",
    "JsonLinesItemExporter",
    "MarshalItemExporter",
    "PickleItemExporter",
    "PprintItemExporter",
    "XmlItemExporter",
]
