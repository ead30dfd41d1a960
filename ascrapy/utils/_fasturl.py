"""Shortcuts for the URL work done for every link and every request.

Turning an attribute value into a link URL takes ``urljoin``, w3lib's
``safe_url_string`` and a second ``urljoin``: tens of microseconds per link, most of a
page's extraction time. For an absolute ``http(s)`` URL or a root-relative path made
only of characters those functions leave alone (lower-case ASCII host, no dot
segments, no ``;`` params, no empty ``?``/``#``, nothing to percent-encode), the
result is known without them: the value itself, or the base's origin plus the value.
Anything else takes the full path. tests/test_linkextractors.py checks the two agree.

Requests escape their URL and fingerprints canonicalize it; the same links come back
page after page, so :func:`memoize_url_function` remembers those results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar
from urllib.parse import urlparse

from ascrapy.utils.memo import ClearingMemo

_T = TypeVar("_T")

_HOST = r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?"
_PORT = r"(?::(?P<port>[1-9][0-9]{0,4}))?"  # never zero-padded; range checked in code
_PATH_CHARS = r"[A-Za-z0-9!$%&'()*+,\-./:=@_~]"  # no ";": urlparse splits it off as params
_QUERY_CHARS = r"[A-Za-z0-9!$%&()*+,\-./:;=?@_~]"  # no "'": escaped in http(s) queries
_FRAGMENT_CHARS = r"[A-Za-z0-9!$%&'()*+,\-./:;=?@_~]"

# An absolute URL that urljoin and safe_url_string return unchanged.
_SIMPLE_URL = re.compile(
    rf"https?://(?P<netloc>{_HOST}{_PORT})(?P<path>(?:/{_PATH_CHARS}*)?)"
    rf"(?:\?{_QUERY_CHARS}+)?(?:#{_FRAGMENT_CHARS}+)?"
)
# The scheme and authority of a base URL, when it is a simple one.
_SIMPLE_ORIGIN = re.compile(rf"https?://{_HOST}{_PORT}(?=[/?#]|$)")
# A root-relative reference that, after a simple origin, makes a simple URL (the part of
# _SIMPLE_URL after the authority, with a path).
_SIMPLE_ROOT_REF = re.compile(rf"/{_PATH_CHARS}*(?:\?{_QUERY_CHARS}+)?(?:#{_FRAGMENT_CHARS}+)?")

_MISSING: object = object()
_origins: ClearingMemo[str, str | None] = ClearingMemo(1024)


def _simple_origin(base_url: str) -> str | None:
    """The origin of a simple base URL, or None; remembered: every link of a page asks."""
    origin = _origins.get(base_url, _MISSING)
    if origin is _MISSING:
        match = _SIMPLE_ORIGIN.match(base_url)
        origin = _origins.keep(base_url, None if match is None or _port_out_of_range(match) else match.group())
    return origin  # type: ignore[return-value]


_root_refs: ClearingMemo[str, bool] = ClearingMemo(8192)


def _is_simple_root_ref(value: str) -> bool:
    """True for an absolute path such as ``/page/7?a=1`` (links within a site repeat on
    every page, so simple_link_url remembers the answer)."""
    if value[1:2] == "/" or "/." in value:  # protocol-relative, or dot segments
        return False
    return _SIMPLE_ROOT_REF.fullmatch(value) is not None


def simple_link_url(base_url: str, value: str) -> str | None:
    """The absolute URL of ``value`` found on a page whose base is ``base_url``, or None
    when the value (or base) is not simple enough to skip the full computation."""
    if value[:1] == "/":
        simple = _root_refs.get(value)
        if simple is None:
            simple = _root_refs.keep(value, _is_simple_root_ref(value))
        if not simple:
            return None
        origin = _simple_origin(base_url)
        return None if origin is None else origin + value
    if value[:4] != "http" or "/." in value:
        return None
    match = _SIMPLE_URL.fullmatch(value)
    if match is None or _port_out_of_range(match):
        return None
    if not match.group("path") and "?" in value:
        return None  # no path before a query: safe_url_string would add "/"
    return value


def _port_out_of_range(match: re.Match[str]) -> bool:
    port = match.group("port")
    return port is not None and int(port) > 65535


def netloc_and_path(url: str) -> tuple[str, str]:
    """``urlparse(url).netloc`` and ``.path``, without parsing simple URLs in full."""
    match = _SIMPLE_URL.fullmatch(url)
    if match is not None:
        # urlparse does not check the port either; group() of two names gives two strings
        return match.group("netloc", "path")  # type: ignore[return-value]
    parsed = urlparse(url)
    return parsed.netloc, parsed.path


def url_hostname(url: str) -> str:
    """``urlparse(url).hostname or ""``, without parsing simple URLs in full (their host
    is lower-case already and has no user info)."""
    match = _SIMPLE_URL.fullmatch(url)
    if match is not None:
        return match.group("netloc").partition(":")[0]
    return urlparse(url).hostname or ""


# URLs longer than this (data: URIs, giant queries) are computed every time rather than
# kept alive in a memo.
_MEMO_MAX_URL_LENGTH = 2048


def memoize_url_function(function: Callable[[str, _T], str]) -> Callable[[str, _T], str]:
    """``function(url, option)``, remembered for the 8192 latest short URLs and options.

    A result equal to its URL (most URLs are already safe, or canonical) is the URL object
    itself: the memo then keeps one string, not two equal ones."""

    def same_if_equal(url: str, option: _T) -> str:
        result = function(url, option)
        return url if result == url else result

    memo = lru_cache(maxsize=8192)(same_if_equal)

    def memoized(url: str, option: _T) -> str:
        if len(url) > _MEMO_MAX_URL_LENGTH:
            return function(url, option)
        return memo(url, option)

    return memoized
