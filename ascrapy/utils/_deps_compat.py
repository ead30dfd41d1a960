"""Feature flags about installed dependencies (scrapy.utils._deps_compat)."""

from __future__ import annotations

import sys

from parsel import __version__ as _parsel_version

STDLIB_IMPROVED_ROBOTFILEPARSER = sys.version_info >= (3, 14, 5) or (3, 13, 14) <= sys.version_info < (3, 14)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


PARSEL_VERSION = _version_tuple(_parsel_version)
PARSEL_SUPPORTS_JMESPATH = PARSEL_VERSION >= (1, 8, 0)
