"""Helpers on requests (scrapy.utils.request): serialisation, curl, raw HTTP, logging."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlunparse

from w3lib.http import basic_auth_header

from ascrapy.fingerprint import (
    RequestFingerprinter,
    RequestFingerprinterProtocol,
    _fingerprint_cache,
    fingerprint,
)
from ascrapy.http.request import Request
from ascrapy.http.request.cookies import decoded_cookie as _decode_cookie  # Scrapy's names for them,
from ascrapy.http.request.cookies import verbose_cookies as _to_verbose_cookies  # which its tests import
from ascrapy.http.request.curl import request_to_curl
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.misc import load_object
from ascrapy.utils.python import to_bytes, to_unicode

__all__ = [
    "RequestFingerprinter",
    "RequestFingerprinterProtocol",
    "_decode_cookie",
    "_fingerprint_cache",
    "_to_verbose_cookies",
    "fingerprint",
    "referer_str",
    "request_authenticate",
    "request_from_dict",
    "request_httprepr",
    "request_to_curl",
]

def request_httprepr(request: Request) -> bytes:
    """The request as raw HTTP/1.1 bytes; for display and size estimates, not the wire."""
    parsed = urlparse_cached(request)
    path = urlunparse(("", "", parsed.path or "/", parsed.params, parsed.query, ""))
    raw = to_bytes(request.method) + b" " + to_bytes(path) + b" HTTP/1.1\r\n"
    raw += b"Host: " + to_bytes(parsed.hostname or b"") + b"\r\n"
    if request.headers:
        raw += request.headers.to_string() + b"\r\n"
    return raw + b"\r\n" + request.body


def referer_str(request: Request) -> str | None:
    """The Referer header as text, for log lines."""
    referer = request.headers.get("Referer")
    if referer is None:
        return None
    return to_unicode(referer, errors="replace")


def request_authenticate(request: Request, username: str, password: str) -> None:
    """Set HTTP basic authentication on ``request`` (older Scrapy API)."""
    request.headers["Authorization"] = basic_auth_header(username, password)


def request_from_dict(d: dict[str, Any], *, spider: Any = None) -> Request:
    """A request from ``Request.to_dict()`` output; callback names resolve on ``spider``."""
    request_cls: type[Request] = load_object(d["_class"]) if "_class" in d else Request
    kwargs = {key: value for key, value in d.items() if key in request_cls.attributes}
    if d.get("callback") and spider:
        kwargs["callback"] = _get_method(spider, d["callback"])
    if d.get("errback") and spider:
        kwargs["errback"] = _get_method(spider, d["errback"])
    return request_cls(**kwargs)


def _get_method(spider: Any, name: Any) -> Any:
    name = str(name)
    try:
        return getattr(spider, name)
    except AttributeError:
        raise ValueError(f"Method {name!r} not found in: {spider}") from None


