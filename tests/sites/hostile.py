"""The hostile app: one path per way a server can hurt a crawler (tests/test_fault_matrix.py).

Every request is counted by path and query (``HITS``), so a test can tell how often a URL
was tried, and the endless bodies count what they sent (``SENT``), so a test can bound what
the crawler read. Nothing here waits on the test: the endless handlers stop when the
client goes away, the app's cleanup ends the rest.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import Counter

from aiohttp import web

from tests.sites.failures import int_query, sized_body

HITS: web.AppKey[Counter[str]] = web.AppKey("hits", Counter)
SENT: web.AppKey[Counter[str]] = web.AppKey("sent", Counter)

OK_PAGE = "<html><head><title>ok</title></head><body><p>fine</p></body></html>"
# "Café" in windows-1252; the header says utf-8, the <meta> says windows-1252.
CHARSET_CONFLICT_BODY = (
    b'<html><head><meta charset="windows-1252"><title>Caf\xe9</title></head><body></body></html>'
)
_CHUNK = 64 * 1024


@web.middleware
async def _count(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    request.app[HITS][request.path_qs] += 1
    return await handler(request)


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text=OK_PAGE, content_type="text/html")


async def _malformed(request: web.Request) -> web.Response:
    """Unclosed and stray tags, a NUL and bytes that are not UTF-8, an unterminated CDATA."""
    body = (
        b"<html><head><title>broken</title><body><div><p>unclosed <b>bold <i>it</p></div></span>"
        b"</table><a href='/ok'>one<a href=/ok?2>two</a>\x00\xff\xfe<![CDATA[ never closed"
    )
    return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})


async def _nested(request: web.Request) -> web.Response:
    """``depth`` nested <div>s, deeper than libxml2 parses, then a <p> after them."""
    depth = int_query(request, "depth", 100_000)
    html = f"<html><body>{'<div>' * depth}deep{'</div>' * depth}<p>after</p></body></html>"
    return web.Response(text=html, content_type="text/html")


async def _charset_conflict(request: web.Request) -> web.Response:
    return web.Response(body=CHARSET_CONFLICT_BODY, headers={"Content-Type": "text/html; charset=utf-8"})


async def _bom_conflict(request: web.Request) -> web.Response:
    """A UTF-8 byte order mark under a header that says latin-1: the BOM wins, as in browsers."""
    body = "\ufeff<html><head><title>Café</title></head></html>".encode()
    return web.Response(body=body, headers={"Content-Type": "text/html; charset=iso-8859-1"})


async def _endless(request: web.Request) -> web.StreamResponse:
    """A chunked body that never ends: it stops only when the client goes away."""
    response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    chunk = b"x" * _CHUNK
    try:
        while True:
            await response.write(chunk)
            request.app[SENT][request.path_qs] += len(chunk)
    except ConnectionError:
        return response


async def _gzip_bomb(request: web.Request) -> web.Response:
    """``mib`` MiB of zeros, gzip-compressed to about a thousandth of that."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(int_query(request, "mib", 64))]
    parts.append(compressor.flush())
    return web.Response(body=b"".join(parts), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})


async def _lying_encoding(request: web.Request) -> web.Response:
    """Content-Encoding: gzip on a body that is plain text."""
    return web.Response(body=OK_PAGE.encode(), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})


async def _redirect_loop(request: web.Request) -> web.Response:
    return web.Response(status=302, headers={"Location": "/redirect-loop"})


async def _trickle(request: web.Request) -> web.StreamResponse:
    """Headers at once, then one byte of the body every ``every`` seconds, for ever."""
    every = float(request.query.get("every", "0.02"))
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.content_length = 1_000_000
    await response.prepare(request)
    try:
        while True:
            await response.write(b".")
            request.app[SENT][request.path_qs] += 1
            await asyncio.sleep(every)
    except ConnectionError:
        return response


async def _reset_before_headers(request: web.Request) -> web.Response:
    assert request.transport is not None
    request.transport.abort()
    return web.Response()


async def _reset_mid_body(request: web.Request) -> web.StreamResponse:
    """Announce 100,000 bytes, send 1,000, reset the connection."""
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.content_length = 100_000
    await response.prepare(request)
    await response.write(b"x" * 1000)
    assert request.transport is not None
    request.transport.abort()
    return response


async def _flaky(request: web.Request) -> web.Response:
    """``status`` (503) for the first ``failures`` (1) requests of this URL, then a page."""
    if request.app[HITS][request.path_qs] <= int_query(request, "failures", 1):
        return web.Response(status=int_query(request, "status", 503), text="try again")
    return web.Response(text=OK_PAGE, content_type="text/html")


async def _too_many_requests(request: web.Request) -> web.Response:
    """429 with Retry-After the first time, then a page."""
    if request.app[HITS][request.path_qs] == 1:
        return web.Response(status=429, headers={"Retry-After": "1"}, text="slow down")
    return web.Response(text=OK_PAGE, content_type="text/html")


async def _huge_header(request: web.Request) -> web.Response:
    """One header line of ``bytes`` bytes (a 12 KB cookie, say)."""
    value = "v" * int_query(request, "bytes", 12_000)
    return web.Response(text=OK_PAGE, content_type="text/html", headers={"X-Huge": value})


async def _many_headers(request: web.Request) -> web.Response:
    response = web.Response(text=OK_PAGE, content_type="text/html")
    for number in range(int_query(request, "count", 200)):
        response.headers.add(f"X-Header-{number}", "v")
    return response


async def _robots(request: web.Request) -> web.Response:
    return web.Response(text="User-agent: *\nDisallow: /\n")


def make_hostile_app() -> web.Application:
    """The hostile paths; see each handler's docstring."""
    app = web.Application(middlewares=[_count])
    app[HITS] = Counter()
    app[SENT] = Counter()
    routes = {
        "/ok": _ok,
        "/malformed": _malformed,
        "/nested": _nested,
        "/charset-conflict": _charset_conflict,
        "/bom-conflict": _bom_conflict,
        "/sized": sized_body,
        "/endless": _endless,
        "/gzip-bomb": _gzip_bomb,
        "/lying-encoding": _lying_encoding,
        "/redirect-loop": _redirect_loop,
        "/trickle": _trickle,
        "/reset-before-headers": _reset_before_headers,
        "/reset-mid-body": _reset_mid_body,
        "/flaky": _flaky,
        "/too-many-requests": _too_many_requests,
        "/huge-header": _huge_header,
        "/many-headers": _many_headers,
        "/robots.txt": _robots,
    }
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    return app
