"""Items into MongoDB documents, for MongoPipeline (ascrapy.pipelines.mongo re-exports
item_to_document): Python values become BSON types, and a document is encoded once, with
MongoDB's size limit checked before it is sent.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter

try:
    import bson
    from bson import Binary, Code, DBRef, Decimal128, Int64, MaxKey, MinKey, ObjectId, Regex, Timestamp
    from bson.raw_bson import RawBSONDocument

    _BSON_TYPES: tuple[type, ...] = (ObjectId, Decimal128, Binary, Int64, RawBSONDocument, Timestamp, Regex,
                                     Code, MinKey, MaxKey, DBRef)
except ImportError:  # MongoPipeline reports it when it is built, not when this is imported
    bson = None  # type: ignore[assignment]  # MongoPipeline checks it before any encoding
    _BSON_TYPES = ()

MAX_DOCUMENT_SIZE = 16 * 1024 * 1024  # MongoDB's maxBsonObjectSize


class UnstorableItemError(ValueError):
    """This item cannot become a MongoDB document (the message says why); it is rejected."""


def encode_document(document: dict[str, Any]) -> RawBSONDocument:
    """``document`` encoded once (pymongo sends these bytes as they are); raises
    UnstorableItemError for a value bson refuses or a document over 16 MB."""
    try:
        data = bson.encode(document)
    except Exception as error:
        raise UnstorableItemError(f"cannot store the item in MongoDB: {error}") from error
    if len(data) > MAX_DOCUMENT_SIZE:
        raise UnstorableItemError(
            f"document too large for MongoDB: {len(data)} bytes as BSON, over the 16 MB limit "
            f"({MAX_DOCUMENT_SIZE} bytes)"
        )
    return RawBSONDocument(data)


_AS_IS = frozenset({str, int, float, bool, type(None), datetime.datetime})


def item_to_document(fields: Any) -> dict[str, Any]:
    """A dict of BSON-ready values from an item (any itemadapter type) or its adapter:
    dates become datetimes, Decimals Decimal128, sets and tuples lists, UUIDs binary
    subtype 4, nested items documents. Other values are left for bson to encode or refuse."""
    if type(fields) is not dict and not isinstance(fields, Mapping):
        fields = ItemAdapter(fields)
    return {key if type(key) is str else str(key): _bson_value(value) for key, value in fields.items()}


def _bson_value(value: Any) -> Any:
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is list or kind is tuple:
        return [_bson_value(element) for element in value]
    if kind is dict:
        return item_to_document(value)
    return _convert_other(value)


def _convert_other(value: Any) -> Any:
    if isinstance(value, _BSON_TYPES):
        return value
    if isinstance(value, datetime.date):  # datetime subclasses included: BSON has one date type
        if isinstance(value, datetime.datetime):
            return value
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, decimal.Decimal):
        try:
            return Decimal128(value)
        except decimal.DecimalException:
            raise UnstorableItemError(f"Decimal {value} does not fit a Decimal128 (34 digits)") from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (set, frozenset)):
        elements = [_bson_value(element) for element in value]
        try:
            return sorted(elements)  # stored the same way every run
        except TypeError:
            return elements
    if isinstance(value, uuid.UUID):
        return Binary.from_uuid(value)
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_bson_value(element) for element in value]
    if isinstance(value, Mapping) or ItemAdapter.is_item(value):
        return item_to_document(value)
    return value
