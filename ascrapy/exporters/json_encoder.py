"""ScrapyJSONEncoder: json.JSONEncoder for the values spiders put in items.

Scrapy 2.19 writes dates and times in ISO 8601 (``2000-01-02T03:04:05``); Scrapy 2.13 wrote
``2000-01-02 03:04:05``. Programs that read a project's JSON feeds may depend on the older
form, so feeds can keep it (FEED_EXPORT_DATETIME_FORMAT, see ``encoder_for``).
"""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

import itemadapter  # attribute access at call time: itemadapter may be mid-import here

from ascrapy.http import Request, Response

__all__ = [
    "DATETIME_FORMATS",
    "Scrapy213JSONEncoder",
    "ScrapyJSONEncoder",
    "checked_datetime_format",
    "encoder_for",
]


class ScrapyJSONEncoder(json.JSONEncoder):
    """Also encodes sets (as lists), dates and times (ISO 8601), Decimals (as strings),
    requests and responses (as a short description) and nested items (as objects)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, set):
            return list(o)
        if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
            return o.isoformat()
        if _is_decimal(o):
            return str(o)
        if isinstance(o, Request):
            return f"<{type(o).__name__} {o.method} {o.url}>"
        if isinstance(o, Response):
            return f"<{type(o).__name__} {o.status} {o.url}>"
        if itemadapter.is_item(o):
            return itemadapter.ItemAdapter(o).asdict()
        return super().default(o)


def _is_decimal(o: Any) -> bool:
    """isinstance(o, decimal.Decimal), without importing decimal for crawls that have none:
    a Decimal exists only once its module has been imported."""
    module = sys.modules.get("decimal") or sys.modules.get("_decimal")
    return module is not None and isinstance(o, module.Decimal)


class Scrapy213JSONEncoder(ScrapyJSONEncoder):
    """ScrapyJSONEncoder with Scrapy 2.13's dates and times: ``2000-01-02 03:04:05``, dates
    ``2000-01-02``, times ``03:04:05`` (microseconds and time zones are left out, as then)."""

    DATE_FORMAT = "%Y-%m-%d"
    TIME_FORMAT = "%H:%M:%S"

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            return o.strftime(f"{self.DATE_FORMAT} {self.TIME_FORMAT}")
        if isinstance(o, datetime.date):
            return o.strftime(self.DATE_FORMAT)
        if isinstance(o, datetime.time):
            return o.strftime(self.TIME_FORMAT)
        return super().default(o)


# The values of FEED_EXPORT_DATETIME_FORMAT (and of an exporter's datetime_format option).
DATETIME_FORMATS: dict[str, type[ScrapyJSONEncoder]] = {
    "iso": ScrapyJSONEncoder,
    "scrapy-2.13": Scrapy213JSONEncoder,
}


def checked_datetime_format(value: Any) -> str:
    """``value`` if it names a datetime format; else a ValueError that lists them."""
    if value not in DATETIME_FORMATS:
        choices = " or ".join(repr(name) for name in DATETIME_FORMATS)
        raise ValueError(f"FEED_EXPORT_DATETIME_FORMAT (datetime_format) must be {choices}, not {value!r}")
    return value


def encoder_for(datetime_format: str) -> type[ScrapyJSONEncoder]:
    """The JSON encoder class that writes dates and times in ``datetime_format``."""
    return DATETIME_FORMATS[checked_datetime_format(datetime_format)]
