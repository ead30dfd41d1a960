"""XML exporter: a root element holding one element per item, one child per field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from ascrapy.exporters.base import BaseItemExporter
from ascrapy.exporters.sink import EncodedTextSink
from ascrapy.utils.python import is_listlike

__all__ = ["XmlItemExporter"]

_NO_ATTRIBUTES = AttributesImpl({})


class XmlItemExporter(BaseItemExporter):
    """``<items><item><field>value</field>...</item>...</items>``.

    Mappings become nested elements, other iterables repeated ``<value>`` elements.
    ``item_element`` and ``root_element`` rename the elements. ``indent`` None writes
    one line; 0 puts each item on its own line; a positive value pretty-prints.
    Characters the encoding (UTF-8 by default) lacks become character references.
    """

    def __init__(self, file: Any, **kwargs: Any):
        self.item_element: str = kwargs.pop("item_element", "item")
        self.root_element: str = kwargs.pop("root_element", "items")
        super().__init__(**kwargs)
        if not self.encoding:
            self.encoding = "utf-8"
        self.stream = EncodedTextSink(file, self.encoding, errors="xmlcharrefreplace")
        self.xg = XMLGenerator(self.stream, encoding=self.encoding)

    def _beautify_newline(self, new_item: bool = False) -> None:
        if self.indent is not None and (self.indent > 0 or new_item):
            self.xg.characters("\n")

    def _beautify_indent(self, depth: int = 1) -> None:
        if self.indent:
            self.xg.characters(" " * self.indent * depth)

    def start_exporting(self) -> None:
        with self.stream.holding():
            self.xg.startDocument()
            self.xg.startElement(self.root_element, _NO_ATTRIBUTES)
            self._beautify_newline(new_item=True)

    def export_item(self, item: Any) -> None:
        with self.stream.holding():
            self._write_item(item)

    def export_items(self, items: Iterable[Any]) -> None:
        with self.stream.holding():
            for item in items:
                self._write_item(item)

    def _write_item(self, item: Any) -> None:
        self._beautify_indent(depth=1)
        self.xg.startElement(self.item_element, _NO_ATTRIBUTES)
        self._beautify_newline()
        for name, value in self.get_serialized_fields(item, default_value=""):
            self._export_xml_field(name, value, depth=2)
        self._beautify_indent(depth=1)
        self.xg.endElement(self.item_element)
        self._beautify_newline(new_item=True)

    def finish_exporting(self) -> None:
        with self.stream.holding():
            self.xg.endElement(self.root_element)
        self.xg.endDocument()

    def _export_xml_field(self, name: str, serialized_value: Any, depth: int) -> None:
        self._beautify_indent(depth=depth)
        self.xg.startElement(name, _NO_ATTRIBUTES)
        if hasattr(serialized_value, "items"):
            self._beautify_newline()
            for subname, value in serialized_value.items():
                self._export_xml_field(subname, value, depth=depth + 1)
            self._beautify_indent(depth=depth)
        elif is_listlike(serialized_value):
            self._beautify_newline()
            for value in serialized_value:
                self._export_xml_field("value", value, depth=depth + 1)
            self._beautify_indent(depth=depth)
        elif isinstance(serialized_value, str):
            self.xg.characters(serialized_value)
        else:
            self.xg.characters(str(serialized_value))
        self.xg.endElement(name)
        self._beautify_newline()
