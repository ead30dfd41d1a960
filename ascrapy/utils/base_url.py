"""A page's base URL: its ``<base href>`` joined with its URL, or its URL.

It sits below the HTTP objects (TextResponse.urljoin and Selector need it, and
scrapy.utils.response exports it), so it only knows a response by what it reads.
"""

from __future__ import annotations

import re
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from w3lib import html

from ascrapy.utils._fasturl import simple_link_url

__all__ = ["base_url_of", "get_base_url"]

# Only the start of a page is searched for <base>, as in Scrapy.
HEAD_CHARS = 4096

# What w3lib looks for before it scans for a <base> tag (the same pattern as its own).
_BASE_TAG = re.compile("<base", re.IGNORECASE | re.ASCII)

_baseurl_cache: WeakKeyDictionary[Any, str] = WeakKeyDictionary()


class PageLike(Protocol):
    """What the base URL is read from (a TextResponse)."""

    @property
    def text(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def encoding(self) -> str: ...


def get_base_url(response: PageLike) -> str:
    """The page's base URL, computed once per response."""
    try:
        base = response._cached_base_url  # type: ignore[attr-defined]
    except AttributeError:  # not a TextResponse: no slot to keep it in
        base = _baseurl_cache.get(response)
        if base is None:
            base = _baseurl_cache[response] = base_url_of(response.text, response.url, response.encoding)
        return base
    if base is None:
        base = response._cached_base_url = base_url_of(  # type: ignore[attr-defined]
            response.text, response.url, response.encoding
        )
    return base


def base_url_of(text: str, url: str, encoding: str) -> str:
    """The base URL of a page whose text is ``text`` and whose address is ``url``."""
    head = text[:HEAD_CHARS]
    if _BASE_TAG.search(head) is None:
        # No <base>: w3lib would return safe_url_string(url), which leaves a simple URL
        # (most response URLs: they were made safe by their request) as it is.
        return simple_link_url("", url) or html.get_base_url("", url)
    return html.get_base_url(head, url, encoding)
