"""Helpers on responses (scrapy.utils.response): base URL, meta refresh, status text."""

from __future__ import annotations

import mimetypes
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from w3lib import html

from ascrapy.http.headers import Headers
from ascrapy.utils.base_url import HEAD_CHARS, get_base_url
from ascrapy.utils.misc import load_object
from ascrapy.utils.python import to_bytes

if TYPE_CHECKING:
    from ascrapy.http import Response, TextResponse

__all__ = [
    "get_base_url",
    "get_meta_refresh",
    "open_in_browser",
    "response_from_dict",
    "response_httprepr",
    "response_status_message",
]

_metaref_cache: WeakKeyDictionary[Any, tuple[None, None] | tuple[float, str]] = WeakKeyDictionary()

# Only the start of a page is searched for <meta refresh>, as for <base>, as in Scrapy.
_HEAD_CHARS = HEAD_CHARS


def get_meta_refresh(
    response: TextResponse,
    ignore_tags: Iterable[str] = ("script", "noscript"),
) -> tuple[None, None] | tuple[float, str]:
    """(delay, absolute URL) of the page's ``<meta http-equiv=refresh>``, or (None, None)."""
    try:
        return _metaref_cache[response]
    except KeyError:
        pass
    head = response.text[:_HEAD_CHARS]
    # Every meta refresh w3lib reports has "refresh", in any letter case, in its tag: a page
    # without the word has none, and skips the scan of its tags.
    if "refresh" not in head.lower():
        refresh: tuple[None, None] | tuple[float, str] = (None, None)
    else:
        refresh = html.get_meta_refresh(head, get_base_url(response), response.encoding, ignore_tags=ignore_tags)
    _metaref_cache[response] = refresh
    return refresh


def response_from_dict(d: dict[str, Any]) -> Response:
    """A response from ``Response.to_dict()`` output; the class is guessed when not stored."""
    from ascrapy.responsetypes import responsetypes  # noqa: PLC0415

    d = {**d, "headers": Headers(d.get("headers") or {})}
    if "_class" in d:
        response_cls = load_object(d["_class"])
    else:
        response_cls = responsetypes.from_args(headers=d["headers"], url=d["url"], body=d.get("body"))
    return response_cls.from_dict(d)


# Reason phrases exactly as Scrapy reports them (Twisted's table): they end up in
# logs and stats keys such as "retry/reason_count/503 Service Unavailable".
_STATUS_PHRASES = {
    100: "Continue",
    101: "Switching Protocols",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content.",
    206: "Partial Content",
    207: "Multi-Status",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Time-out",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    415: "Unsupported Media Type",
    416: "Requested Range not satisfiable",
    417: "Expectation Failed",
    418: "I'm a teapot",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Time-out",
    505: "HTTP Version not supported",
    507: "Insufficient Storage Space",
    510: "Not Extended",
}


def response_status_message(status: bytes | float | int | str) -> str:
    """``"404 Not Found"``: the status code with its reason phrase."""
    code = int(status)
    return f"{code} {_STATUS_PHRASES.get(code, 'Unknown Status')}"


def response_httprepr(response: Response) -> bytes:
    """The response as raw HTTP/1.1 bytes (approximate: for display and size estimates)."""
    parts = [
        b"HTTP/1.1 ",
        str(response.status).encode(),
        b" ",
        _STATUS_PHRASES.get(response.status, "").encode(),
        b"\r\n",
    ]
    if response.headers:
        parts += [response.headers.to_string(), b"\r\n"]
    parts += [b"\r\n", response.body]
    return b"".join(parts)


_DOCTYPE_RE = re.compile(rb"\s*<!doctype[^<>]*>", re.IGNORECASE)


def open_in_browser(
    response: Response,
    _openfunc: Callable[[str], Any] | None = None,
) -> Any:
    """Save the body to a temporary file and open it in a web browser, for debugging.

    HTML gets a ``<base>`` tag (after any doctype, so no quirks mode) so that its
    relative links, images and styles resolve against the page's real location.
    """
    from ascrapy.http import HtmlResponse, TextResponse  # noqa: PLC0415

    if _openfunc is None:
        import webbrowser  # noqa: PLC0415 - a debugging aid: not loaded for every crawl

        _openfunc = webbrowser.open
    body = response.body
    if isinstance(response, HtmlResponse):
        doctype = _DOCTYPE_RE.match(body)
        at = doctype.end() if doctype else 0
        base_tag = to_bytes(f'<base href="{get_base_url(response)}">')
        body = body[:at] + base_tag + body[at:]
        extension = ".html"
    elif isinstance(response, TextResponse):
        extension = ".txt"
    else:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        mimetype = content_type.split(";")[0].strip().lower()
        extension = mimetypes.guess_extension(mimetype) or ""
        if not extension:
            raise TypeError(f"Unsupported response type: {response.__class__.__name__}")
    fd, path = tempfile.mkstemp(extension)
    try:
        os.write(fd, body)
    finally:
        os.close(fd)
    return _openfunc(f"file://{path}")
