"""CSV exporter: a header row, then one row per item."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ascrapy.exporters.base import BaseItemExporter, item_view
from ascrapy.exporters.sink import EncodedTextSink

__all__ = ["CsvItemExporter"]

logger = logging.getLogger("scrapy.exporters")


class CsvItemExporter(BaseItemExporter):
    """Rows of the fields to export; lists and tuples of strings are joined.

    Without ``fields_to_export`` the columns are the first item's fields (all declared
    fields for Items, the keys for dicts), and a warning tells once when a later item
    has fields outside them. Other options go to :func:`csv.writer`; ``errors`` is the
    encoding error handler. Lines end in CRLF, as csv writes them.
    """

    def __init__(
        self,
        file: Any,
        include_headers_line: bool = True,
        join_multivalued: str = ",",
        errors: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(dont_fail=True, **kwargs)
        if not self.encoding:
            self.encoding = "utf-8"
        self.include_headers_line = include_headers_line
        self.stream = EncodedTextSink(file, self.encoding, errors=errors)
        self.csv_writer = csv.writer(self.stream, **self._kwargs)
        self._headers_not_written = True
        self._join_multivalued = join_multivalued
        self._autodetected_fields = False
        self._data_loss_warned = False

    def _serialize_default(self, value: Any) -> Any:
        return self._join_if_needed(value)

    def _join_if_needed(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            try:
                return self._join_multivalued.join(value)
            except TypeError:  # not all strings: leave it to csv's str()
                pass
        return value

    def export_item(self, item: Any) -> None:
        self._write_item(item)

    def export_items(self, items: Iterable[Any]) -> None:
        with self.stream.holding():
            for item in items:
                self._write_item(item)

    def _write_item(self, item: Any) -> None:
        if self._headers_not_written:
            self._headers_not_written = False
            self._write_headers_and_set_fields_to_export(item)
        if self._autodetected_fields and not self._data_loss_warned:
            self._warn_dropped_fields(item)
        fields = self.get_serialized_fields(item, default_value="", include_empty=True)
        self.csv_writer.writerow(list(self._build_row(value for _, value in fields)))

    def _warn_dropped_fields(self, item: Any) -> None:
        if self.fields_to_export is None:
            return
        _, declared, _ = item_view(item)
        dropped = set(declared) - set(self.fields_to_export)
        if dropped:
            logger.warning(
                f"CSVExporter dropped fields {sorted(dropped)}. "
                f"To avoid this, fully configure your FEED_EXPORT_FIELDS setting. "
                f"See: https://docs.scrapy.org/en/latest/topics/feed-exports.html#feed-export-fields",
            )
            self._data_loss_warned = True

    def finish_exporting(self) -> None:
        self.stream.flush()

    def _build_row(self, values: Iterable[Any]) -> Iterable[Any]:
        """Bytes decoded with the export encoding; anything else as it is."""
        for value in values:
            if isinstance(value, bytes):
                yield value.decode(self.encoding or "utf-8")
            else:
                yield value

    def _write_headers_and_set_fields_to_export(self, item: Any) -> None:
        if not self.include_headers_line:
            return
        if not self.fields_to_export:
            _, declared, _ = item_view(item)
            self.fields_to_export = list(declared)
            self._autodetected_fields = True
        if isinstance(self.fields_to_export, Mapping):
            header: Iterable[str] = self.fields_to_export.values()
        else:
            header = self.fields_to_export
        self.csv_writer.writerow(list(self._build_row(header)))
