"""What a message of the start topic says, and what ascrapy writes in the headers of the
messages it sends on to the retry and dead-letter topics.

A start message's value is a plain URL, or a JSON object::

    {"url": "https://example.com/", "meta": {...}, "priority": 0, "callback": "parse_item"}

Anything else is malformed. A callback is the name of a method of the spider.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

MALFORMED = "malformed"
UNKNOWN_CALLBACK = "unknown_callback"
REQUEST_FAILED = "request_failed"
CALLBACK_ERROR = "callback_error"
RETRIES_SPENT = (REQUEST_FAILED, CALLBACK_ERROR)
"""Reasons worth another attempt through the retry topic (a malformed message never mends)."""

# Header names; values are UTF-8 text.
REASON = "ascrapy.reason"
EXCEPTION = "ascrapy.exception"
SOURCE_TOPIC = "ascrapy.source.topic"
SOURCE_PARTITION = "ascrapy.source.partition"
SOURCE_OFFSET = "ascrapy.source.offset"
ORIGIN_TOPIC = "ascrapy.origin.topic"  # where the message first came from, before any retry
ORIGIN_PARTITION = "ascrapy.origin.partition"
ORIGIN_OFFSET = "ascrapy.origin.offset"
ATTEMPTS = "ascrapy.attempts"  # attempts made so far
NOT_BEFORE = "ascrapy.not_before"  # a retry: not to be crawled before this time (Unix ms)

Headers = Sequence[tuple[str, bytes]]


class KafkaRecord(Protocol):
    """A consumed message (aiokafka's ConsumerRecord)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers


class BadMessage(ValueError):
    """A message that cannot become a request; ``reason`` is MALFORMED or UNKNOWN_CALLBACK."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class RequestSpec:
    """What a start message asks for."""

    url: str
    meta: dict[str, Any] = field(default_factory=dict)
    priority: int = 0
    callback: str | None = None


def parse_start_message(value: bytes | None) -> RequestSpec:
    """The request a start message's value describes; BadMessage(MALFORMED) otherwise."""
    if value is None:
        raise BadMessage(MALFORMED, "the message has no value")
    try:
        text = value.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise BadMessage(MALFORMED, f"the value is not UTF-8 text: {error}") from None
    if not text:
        raise BadMessage(MALFORMED, "the value is empty")
    if not text.startswith("{"):
        if any(character.isspace() for character in text):
            raise BadMessage(MALFORMED, f"not a URL nor a JSON object: {text[:200]!r}")
        return RequestSpec(text)
    try:
        fields = json.loads(text)
    except ValueError as error:
        raise BadMessage(MALFORMED, f"invalid JSON: {error}") from None
    return _spec_from_json(fields)


def _spec_from_json(fields: dict[str, Any]) -> RequestSpec:
    unknown = set(fields) - {"url", "meta", "priority", "callback"}
    if unknown:
        raise BadMessage(MALFORMED, f"unknown fields: {', '.join(sorted(unknown))}")
    url, meta = fields.get("url"), fields.get("meta", {})
    priority, callback = fields.get("priority", 0), fields.get("callback")
    if not isinstance(url, str) or not url:
        raise BadMessage(MALFORMED, "\"url\" must be a non-empty string")
    if not isinstance(meta, dict):
        raise BadMessage(MALFORMED, "\"meta\" must be an object")
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise BadMessage(MALFORMED, "\"priority\" must be an integer")
    if callback is not None and (not isinstance(callback, str) or not callback):
        raise BadMessage(MALFORMED, "\"callback\" must be the name of a spider method")
    return RequestSpec(url, meta, priority, callback)


def header(headers: Headers, name: str) -> str | None:
    """The last value of header ``name`` as text, or None."""
    found = None
    for key, value in headers:
        if key == name:
            found = value
    return found.decode("utf-8", "replace") if found is not None else None


def attempts_made(headers: Headers) -> int:
    """How many times the message was tried before (0 for a message from the start topic)."""
    return _int(header(headers, ATTEMPTS)) or 0


def not_before(headers: Headers) -> float | None:
    """When a retried message may be crawled again (Unix seconds), if it says."""
    milliseconds = _int(header(headers, NOT_BEFORE))
    return milliseconds / 1000 if milliseconds is not None else None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None
