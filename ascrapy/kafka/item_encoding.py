"""Items as Kafka messages: the value is the item as the JSON lines feed writes it (the same
exporter, FEED_EXPORTERS["jsonlines"], with the FEED_EXPORT_* options), so that a consumer
of the topic reads exactly what ``-O items.jsonl`` would hold, one line per message; the
key is the text of one field (KAFKA_ITEMS_KEY_FIELD), so that one key's items stay in one
partition, in order."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from ascrapy.settings import BaseSettings
from ascrapy.utils.conf import feed_complete_default_values_from_settings
from ascrapy.utils.misc import load_object


class UnencodableItem(ValueError):
    """The item cannot be written as JSON (the feed would refuse it too)."""


class _LastWrite:
    """The file the exporter writes into: it keeps what one item came out as."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)

    def take(self) -> bytes:
        data, self.data = self.data, b""
        return data


class ItemEncoder:
    """Turns items into (key, value) bytes for the items topic."""

    def __init__(self, settings: BaseSettings, key_field: str | None) -> None:
        options = feed_complete_default_values_from_settings({"format": "jsonlines"}, settings)
        exporter_class = load_object(settings.getwithbase("FEED_EXPORTERS")["jsonlines"])
        self._file = _LastWrite()
        self.exporter = exporter_class(
            self._file, fields_to_export=options["fields"], encoding=options["encoding"], indent=options["indent"],
        )
        self.key_field = key_field

    def encode(self, item: Any) -> tuple[bytes | None, bytes]:
        try:
            self.exporter.export_item(item)
        except Exception as error:
            self._file.take()
            raise UnencodableItem(f"cannot write the item as JSON: {type(error).__name__}: {error}") from None
        return self._key(item), self._file.take().rstrip(b"\n")

    def _key(self, item: Any) -> bytes | None:
        if self.key_field is None:
            return None
        value = ItemAdapter(item).get(self.key_field)
        if value is None:
            return None
        return value if isinstance(value, bytes) else str(value).encode("utf-8")
