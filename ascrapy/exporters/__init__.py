"""Item exporters: write items to a binary file as JSON, JSON Lines, CSV, XML, pickle,
marshal or pprint, with the same bytes as Scrapy's exporters.

Every exporter has start_exporting, export_item and finish_exporting, plus
export_items for a batch (same bytes as export_item on each, one write).
"""

from ascrapy.exporters.base import BaseItemExporter
from ascrapy.exporters.csv_exporter import CsvItemExporter
from ascrapy.exporters.json_encoder import ScrapyJSONEncoder
from ascrapy.exporters.json_exporters import JsonItemExporter, JsonLinesItemExporter
from ascrapy.exporters.python_exporters import (
    MarshalItemExporter,
    PickleItemExporter,
    PprintItemExporter,
    PythonItemExporter,
)
from ascrapy.exporters.xml_exporter import XmlItemExporter

__all__ = [
    "BaseItemExporter",
    "CsvItemExporter",
    "JsonItemExporter",
    "JsonLinesItemExporter",
    "MarshalItemExporter",
    "PickleItemExporter",
    "PprintItemExporter",
    "PythonItemExporter",
    "XmlItemExporter",
]
