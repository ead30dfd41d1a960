"""Exporters to Python formats: pickle, marshal, pprint, and plain Python objects."""

from __future__ import annotations

import marshal
import pickle
import pprint
from collections.abc import Iterable
from typing import Any

import itemadapter  # attribute access at call time: itemadapter may be mid-import here

from ascrapy.exporters.base import BaseItemExporter, _BatchWriter
from ascrapy.item import Item
from ascrapy.utils.python import is_listlike, to_unicode

__all__ = [
    "MarshalItemExporter",
    "PickleItemExporter",
    "PprintItemExporter",
    "PythonItemExporter",
]


class PickleItemExporter(_BatchWriter):
    """One pickled dict per item (read them back with repeated pickle.load)."""

    def __init__(self, file: Any, protocol: int = 4, **kwargs: Any):
        super().__init__(**kwargs)
        self.file = file
        self.protocol: int = protocol

    def _encode(self, item: Any) -> bytes:
        return pickle.dumps(self._serialized_dict(item), self.protocol)


class MarshalItemExporter(_BatchWriter):
    """One marshalled dict per item (Python-version specific; see :mod:`marshal`)."""

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.file = file

    def _encode(self, item: Any) -> bytes:
        return marshal.dumps(self._serialized_dict(item))


class PprintItemExporter(_BatchWriter):
    """Each item as a pretty-printed dict and a newline, in UTF-8."""

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.file = file

    def _encode(self, item: Any) -> bytes:
        return (pprint.pformat(self._serialized_dict(item)) + "\n").encode("utf-8")


class PythonItemExporter(BaseItemExporter):
    """Turns items into plain dicts, lists and str, for any serialization library.

    Nested items become dicts and bytes are decoded (UTF-8 unless ``encoding``).
    :meth:`export_item` returns the dict instead of writing it.
    """

    def _configure(self, options: dict[str, Any], dont_fail: bool = False) -> None:
        super()._configure(options, dont_fail)
        if not self.encoding:
            self.encoding = "utf-8"

    def _serialize_default(self, value: Any) -> Any:
        return self._serialize_value(value)

    def _serialize_value(self, value: Any) -> Any:
        if isinstance(value, Item):
            return self.export_item(value)
        if isinstance(value, (str, bytes)):
            return to_unicode(value, encoding=self.encoding)
        if itemadapter.is_item(value):
            return dict(self._serialize_item(value))
        if is_listlike(value):
            return [self._serialize_value(v) for v in value]
        return value

    def _serialize_item(self, item: Any) -> Iterable[tuple[str | bytes, Any]]:
        for key, value in itemadapter.ItemAdapter(item).items():
            yield key, self._serialize_value(value)

    def export_item(self, item: Any) -> dict[str, Any]:
        return self._serialized_dict(item)

    def export_items(self, items: Iterable[Any]) -> list[dict[str, Any]]:  # type: ignore[override]
        """The dicts of all ``items``, in order."""
        return [self.export_item(item) for item in items]
