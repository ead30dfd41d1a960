"""Helpers on requests (scrapy.utils.request): serialisation, curl, raw HTTP, logging."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlunparse

from w3lib.http import basic_auth_header

from ascrapy.fingerprint import (
    RequestFingerprinter,
    RequestFingerprinterProtocol,
    _fingerprint_cache,
    fingerprint,
)
from ascrapy.http.request import CookiesT, Request, VerboseCookie
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.misc import load_object
from ascrapy.utils.python import to_bytes, to_unicode

__all__ = [
    "RequestFingerprinter",
    "RequestFingerprinterProtocol",
    "_fingerprint_cache",
    "fingerprint",
    "referer_str",
    "request_authenticate",
    "request_from_dict",
    "request_httprepr",
    "request_to_curl",
]

logger = logging.getLogger("scrapy.utils.request")


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


def _to_verbose_cookies(cookies: CookiesT) -> list[VerboseCookie]:
    """``request.cookies`` as a list of dicts with name and value (and maybe more)."""
    if isinstance(cookies, dict):
        return [{"name": name, "value": value} for name, value in cookies.items()]
    return cookies


def _decode_cookie(cookie: VerboseCookie, request: Request) -> dict[str, str] | None:
    """name, value, path and domain of a cookie as text; None if name or value is missing."""
    decoded: dict[str, str] = {}
    for key in ("name", "value", "path", "domain"):
        value = cookie.get(key)
        if value is None:
            if key in ("name", "value"):
                logger.warning(f"Invalid cookie found in request {request}: {cookie} ('{key}' is missing)")
                return None
            continue
        if isinstance(value, bytes):
            try:
                decoded[key] = value.decode("utf8")
            except UnicodeDecodeError:
                logger.warning(f"Non UTF-8 encoded cookie found in request {request}: {cookie}")
                decoded[key] = value.decode("latin1", errors="replace")
        else:
            decoded[key] = str(value)
    return decoded


def request_to_curl(request: Request) -> str:
    """A cURL command line that sends the same method, URL, body, headers and cookies."""
    data = f"--data-raw '{request.body.decode('utf-8')}'" if request.body else ""
    headers = " ".join(
        f"-H '{name.decode()}: {values[0].decode()}'" for name, values in request.headers.items()
    )
    pairs = []
    for cookie in _to_verbose_cookies(request.cookies):
        decoded = _decode_cookie(cookie, request)
        if decoded is not None:
            pairs.append(f"{decoded['name']}={decoded['value']}")
    cookies = f"--cookie '{'; '.join(pairs)}'" if pairs else ""
    command = f"curl -X {request.method} {request.url} {data} {headers} {cookies}"
    return " ".join(command.split())
