"""Item exporters: write items to a binary file as JSON, JSON Lines, CSV, XML, pickle,
marshal or pprint, with the same bytes as Scrapy's exporters.

Every exporter has start_exporting, export_item and finish_exporting, plus
export_items for a batch (same bytes as export_item on each, one write).
"""

from __future__ import annotations

from ascrapy.utils.misc import lazy_attributes

# Where each name lives: modules are imported on first use, so a crawl that writes JSON
# lines does not load the XML, CSV and pickle machinery.
_LAZY_SUBMODULES = {
    "BaseItemExporter": "base",
    "CsvItemExporter": "csv_exporter",
    "ScrapyJSONEncoder": "json_encoder",
    "JsonItemExporter": "json_exporters",
    "JsonLinesItemExporter": "json_exporters",
    "MarshalItemExporter": "python_exporters",
    "PickleItemExporter": "python_exporters",
    "PprintItemExporter": "python_exporters",
    "PythonItemExporter": "python_exporters",
    "XmlItemExporter": "xml_exporter",
}

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


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY_SUBMODULES, globals())
