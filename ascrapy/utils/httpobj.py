"""Parsed URLs of requests and responses, parsed once per object."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import ParseResult, urlparse
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from ascrapy.http import Request, Response

_urlparse_cache: WeakKeyDictionary[Any, ParseResult] = WeakKeyDictionary()


def urlparse_cached(request_or_response: Request | Response) -> ParseResult:
    """``urlparse(obj.url)``, remembered for as long as the object lives.

    Middlewares parse the same request's URL many times; this makes it once.
    """
    try:
        return _urlparse_cache[request_or_response]
    except KeyError:
        parsed = _urlparse_cache[request_or_response] = urlparse(request_or_response.url)
        return parsed
