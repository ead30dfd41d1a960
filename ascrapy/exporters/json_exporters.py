"""JSON Lines (one object per line) and JSON (one array) exporters."""

from __future__ import annotations

from typing import Any

from ascrapy.exporters.base import _BatchWriter
from ascrapy.exporters.json_encoder import ScrapyJSONEncoder, encoder_for

__all__ = ["JsonItemExporter", "JsonLinesItemExporter"]


class JsonLinesItemExporter(_BatchWriter):
    """One JSON object and a newline per item.

    Options other than the common ones go to the JSON encoder (``sort_keys`` ...).
    Non-ASCII text is escaped unless an ``encoding`` is given.
    """

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self._kwargs.setdefault("ensure_ascii", not self.encoding)
        self.encoder: ScrapyJSONEncoder = encoder_for(self.datetime_format)(**self._kwargs)

    def _encode(self, item: Any) -> bytes:
        return (self.encoder.encode(self._serialized_dict(item)) + "\n").encode(
            self.encoding or "utf-8"
        )


class JsonItemExporter(_BatchWriter):
    """One JSON array of the items.

    ``indent`` None writes everything on one line; 0 puts each item on its own line;
    a positive value also indents inside the items.
    """

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        # indent=0 means "one item per line" here, but newlines everywhere to json.
        json_indent = self.indent if self.indent is not None and self.indent > 0 else None
        self._kwargs.setdefault("indent", json_indent)
        self._kwargs.setdefault("ensure_ascii", not self.encoding)
        self.encoder: ScrapyJSONEncoder = encoder_for(self.datetime_format)(**self._kwargs)
        self.first_item = True

    def _newline(self) -> bytes:
        return b"\n" if self.indent is not None else b""

    def _separator(self) -> bytes:
        """What goes before the next item: nothing before the first, a comma after."""
        if self.first_item:
            self.first_item = False
            return b""
        return b"," + self._newline()

    def _encode(self, item: Any) -> bytes:
        data = self.encoder.encode(self._serialized_dict(item)).encode(self.encoding or "utf-8")
        return self._separator() + data  # after encoding: a failing item leaves no comma

    def start_exporting(self) -> None:
        self.file.write(b"[" + self._newline())

    def finish_exporting(self) -> None:
        self.file.write(self._newline() + b"]")
