"""BaseItemExporter: which fields of an item to export, under which names, serialized how.

Dicts and plain ascrapy Items are read directly; any other item type (dataclass, attrs,
pydantic, Item subclasses with their own mapping methods) goes through itemadapter.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import itemadapter  # attribute access at call time: itemadapter may be mid-import here

from ascrapy.exporters.json_encoder import checked_datetime_format
from ascrapy.item import Item

__all__ = ["BaseItemExporter"]

_NO_META: Mapping[str, Any] = {}
_NO_SERIALIZER: Any = object()


# Item classes whose mapping methods are Item's own, so their _values can be read directly.
_plain_item_classes: dict[type, bool] = {}


def _is_plain_item_class(cls: type) -> bool:
    plain = _plain_item_classes.get(cls)
    if plain is None:
        plain = issubclass(cls, Item) and all(
            getattr(cls, method) is getattr(Item, method)
            for method in ("__getitem__", "__iter__", "__contains__", "keys")
        )
        _plain_item_classes[cls] = plain
    return plain


def item_view(item: Any) -> tuple[Any, Iterable[str], Callable[[str], Mapping[str, Any]]]:
    """(values mapping, declared field names, field metadata getter) for any item."""
    cls = type(item)
    if cls is dict:
        return item, item, lambda name: _NO_META
    if _is_plain_item_class(cls):
        fields = item.fields
        return item._values, fields, fields.__getitem__
    adapter = itemadapter.ItemAdapter(item)
    return adapter, adapter.field_names(), adapter.get_field_meta


class BaseItemExporter(ABC):
    """Exporters share these options: ``fields_to_export`` (names, or a dict of item
    field to output name), ``export_empty_fields``, ``encoding``, ``indent`` and
    ``datetime_format`` (how JSON writes dates and times: "iso", the default, or
    "scrapy-2.13"; CSV and XML write ``str(value)`` in both, as Scrapy 2.13 and 2.19 do).

    Unknown options raise TypeError unless ``dont_fail`` is true; then they stay in
    ``self._kwargs`` for the subclass (JSON encoder or CSV writer options).
    """

    def __init__(self, *, dont_fail: bool = False, **kwargs: Any):
        self._kwargs: dict[str, Any] = kwargs
        self._configure(kwargs, dont_fail=dont_fail)

    def _configure(self, options: dict[str, Any], dont_fail: bool = False) -> None:
        """Pop the common options out of ``options``."""
        self.encoding: str | None = options.pop("encoding", None)
        self.fields_to_export: Mapping[str, str] | Iterable[str] | None = options.pop(
            "fields_to_export", None
        )
        self.export_empty_fields: bool = options.pop("export_empty_fields", False)
        self.indent: int | None = options.pop("indent", None)
        self.datetime_format: str = checked_datetime_format(options.pop("datetime_format", "iso"))
        if options and not dont_fail:
            raise TypeError(f"Unexpected options: {', '.join(options.keys())}")

    @abstractmethod
    def export_item(self, item: Any) -> Any:
        raise NotImplementedError

    def export_items(self, items: Iterable[Any]) -> None:
        """Export a batch: the same output as export_item on each, written at once.

        If an item fails, the items before it are written and the error propagates.
        """
        for item in items:
            self.export_item(item)

    def serialize_field(self, field: Mapping[str, Any], name: str, value: Any) -> Any:
        """The value to export: the field's ``serializer`` applied, if it declares one."""
        return field.get("serializer", self._serialize_default)(value)

    def _serialize_default(self, value: Any) -> Any:
        """How a field without a ``serializer`` is serialized by this exporter."""
        return value

    def start_exporting(self) -> None:  # noqa: B027 - optional hook
        """Write what precedes the first item."""

    def finish_exporting(self) -> None:  # noqa: B027 - optional hook
        """Write what follows the last item."""

    def _field_pairs(
        self, values: Any, declared: Iterable[str], include_empty: bool
    ) -> Iterable[Any]:
        """The fields to export: names, or (item field, output name) pairs."""
        fields = self.fields_to_export
        if fields is None:
            if include_empty:
                return declared
            if values is declared:  # a dict: its keys are its fields
                return values.keys()  # type: ignore[attr-defined]  # "is" narrowed it to declared's type
            populated = [name for name in declared if name in values]
            return dict.fromkeys([*populated, *values.keys()])
        if isinstance(fields, Mapping):
            if include_empty:
                return fields.items()
            return [(name, output) for name, output in fields.items() if name in values]
        if include_empty:
            return fields
        return [name for name in fields if name in values]

    def get_serialized_fields(
        self, item: Any, default_value: Any = None, include_empty: bool | None = None
    ) -> Iterator[tuple[str, Any]]:
        """(output name, serialized value) for each field to export, in order.

        Missing fields come out as ``default_value``; ``include_empty`` overrides
        :attr:`export_empty_fields`.
        """
        if include_empty is None:
            include_empty = self.export_empty_fields
        values, declared, meta_of = item_view(item)
        for entry in self._field_pairs(values, declared, include_empty):
            if isinstance(entry, str):
                item_field = output_field = entry
            else:
                item_field, output_field = entry
            if item_field in values:
                yield output_field, self.serialize_field(
                    meta_of(item_field), output_field, values[item_field]
                )
            else:
                yield output_field, default_value

    def _serialized_dict(self, item: Any) -> dict[str, Any]:
        """``dict(self.get_serialized_fields(item))``, quicker for the common cases:
        a dict or plain Item, all its fields, and no serialize_field override."""
        own = type(self)
        if (
            self.fields_to_export is not None
            or own.serialize_field is not BaseItemExporter.serialize_field
            or own.get_serialized_fields is not BaseItemExporter.get_serialized_fields
        ):
            return dict(self.get_serialized_fields(item))
        default = None if own._serialize_default is BaseItemExporter._serialize_default else self._serialize_default
        kind = type(item)
        if kind is dict:
            if default is None:
                return dict(item)
            return {name: default(value) for name, value in item.items()}
        if not _is_plain_item_class(kind):
            return dict(self.get_serialized_fields(item))
        values = item._values
        result: dict[str, Any] = {}
        for name, meta in item.fields.items():
            if name in values:
                value = values[name]
                serializer = meta.get("serializer", _NO_SERIALIZER) if meta else _NO_SERIALIZER
                if serializer is not _NO_SERIALIZER:
                    value = serializer(value)
                elif default is not None:
                    value = default(value)
                result[name] = value
            elif self.export_empty_fields:
                result[name] = None
        return result


class _BatchWriter(BaseItemExporter):
    """Exporters whose output per item is bytes of its own: a batch joins them in one write."""

    file: Any

    def _encode(self, item: Any) -> bytes:
        raise NotImplementedError

    def export_item(self, item: Any) -> None:
        self.file.write(self._encode(item))

    def export_items(self, items: Iterable[Any]) -> None:
        chunks: list[bytes] = []
        try:
            for item in items:
                chunks.append(self._encode(item))
        finally:
            if chunks:
                self.file.write(b"".join(chunks))
