"""LOG_JSON: every log record as one JSON object on one line, for log collectors.

A line holds ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``spider`` (when the record
names one), ``message`` (as the text log renders it) and the record's own fields: the
values of a mapping passed as the message's arguments (``status``, ``request``, ``reason``,
``retry_times`` ...) and the extras given to the logging call (``item``, ``stats`` ...).
A Request adds ``url`` and ``method``, a Response ``url`` and ``status``; an exception
becomes ``exception`` (its traceback). Values JSON has no type for become text.

A record whose message renders a structure that is also one of its fields (the closing
stats) may give a shorter ``json_message`` extra for this output.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter

# The attributes every LogRecord has; anything else on a record came from ``extra``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Extras that are read for the fixed keys, never copied as fields.
_CONSUMED_EXTRAS = frozenset({"spider", "crawler", "json_message"})
_CORE_KEYS = ("time", "level", "logger", "spider", "message", "exception", "stack")
_MAX_DEPTH = 6


class JsonLogFormatter(logging.Formatter):
    """Formats a record as a single-line JSON object (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        spider = _spider_name(record)
        if spider is not None:
            entry["spider"] = spider
        summary = record.__dict__.get("json_message")
        entry["message"] = summary if isinstance(summary, str) else record.getMessage()
        for name, value in _record_fields(record):
            _add_field(entry, name, value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _spider_name(record: logging.LogRecord) -> str | None:
    spider = record.__dict__.get("spider")
    if spider is None:
        crawler = record.__dict__.get("crawler")
        spider = getattr(crawler, "spider", None)
    if spider is None:
        return None
    if isinstance(spider, str):
        return spider
    name = getattr(spider, "name", None)
    return str(name) if name is not None else None


def _record_fields(record: logging.LogRecord) -> list[tuple[str, Any]]:
    fields: list[tuple[str, Any]] = []
    if isinstance(record.args, Mapping):
        fields.extend((str(name), value) for name, value in record.args.items())
    fields.extend(
        (name, value)
        for name, value in record.__dict__.items()
        if name not in _RECORD_ATTRIBUTES and name not in _CONSUMED_EXTRAS
    )
    return fields


def _add_field(entry: dict[str, Any], name: str, value: Any) -> None:
    """Add ``name`` (renamed ``name_`` where it would replace a fixed key) and what a
    request or response value implies (``url``, ``method``, ``status``) when not given."""
    key = f"{name}_" if name in _CORE_KEYS else name
    entry[key] = to_json_value(value)
    url = getattr(value, "url", None)
    if not isinstance(url, str) or not _is_request_or_response(value):
        return
    entry.setdefault("url", url)
    method = getattr(value, "method", None)
    if isinstance(method, str):
        entry.setdefault("method", method)
    status = getattr(value, "status", None)
    if isinstance(status, int):
        entry.setdefault("status", status)


def _is_request_or_response(value: Any) -> bool:
    from ascrapy.http import Request, Response  # noqa: PLC0415 - http imports logging helpers

    return isinstance(value, (Request, Response))


def to_json_value(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON can hold it: containers and items converted, anything else as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth >= _MAX_DEPTH:
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_value(item, depth + 1) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if ItemAdapter.is_item(value) and not _is_request_or_response(value):
        return to_json_value(ItemAdapter(value).asdict(), depth + 1)
    return str(value)
