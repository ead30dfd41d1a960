"""The failure app: small endpoints for what goes wrong on the web (statuses, slow and big
bodies, compression, redirects, cookies, a login form, odd encodings, dropped connections)."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import zlib

from aiohttp import web

# Text with non-ASCII letters that latin-1 can encode, for the /encoding/ pages.
ENCODING_SAMPLE_TEXT = "Café crème, señor Müller: déjà vu à Noël"
ENCODING_NAMES = ("utf-8", "latin-1", "utf-8-bom", "meta")
LOGIN_USER, LOGIN_PASSWORD = "user", "secret"
JSON_DOCUMENT = {
    "name": "ascrapy",
    "items": [{"id": 1, "title": "first"}, {"id": 2, "title": "second"}],
    "unicode": "naïve café",
}
_CSRF_TOKEN = "csrf-4f1d2c"
_CHUNK = 64 * 1024
FLAKY_COUNTS: web.AppKey[dict[str, int]] = web.AppKey("flaky_counts", dict)


def session_token(user: str) -> str:
    """The session cookie value /login sets; derived, so the app keeps no state for it."""
    return hashlib.sha256(f"ascrapy-session:{user}".encode()).hexdigest()[:32]


def _payload(size: int) -> bytes:
    """``size`` bytes of compressible text (the same bytes every time)."""
    unit = b"ascrapy test payload 0123456789\n"
    return (unit * (size // len(unit) + 1))[:size]


def int_query(request: web.Request, name: str, default: int) -> int:
    try:
        return int(request.query.get(name, default))
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be an integer") from None


async def _status(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    if not 200 <= code <= 599:
        raise web.HTTPBadRequest(text="status must be between 200 and 599")
    text = None if code in (204, 304) else f"status {code}"
    return web.Response(status=code, text=text)


async def _slow(request: web.Request) -> web.StreamResponse:
    """Sleep before answering; with ?after_headers=1, send the headers first and stall the body."""
    seconds = float(request.query.get("seconds", "1"))
    if request.query.get("after_headers") == "1":
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.content_length = 10
        await response.prepare(request)
        await response.write(b"slow")
        await asyncio.sleep(seconds)
        await response.write(b" body")
        await response.write(b"!")
        return response
    await asyncio.sleep(seconds)
    return web.Response(text=f"slept {seconds}")


async def sized_body(request: web.Request) -> web.StreamResponse:
    """N bytes in chunks; Content-Length unless ?chunked=1 (then chunked transfer encoding)."""
    size = int_query(request, "bytes", 1024 * 1024)
    chunk = _payload(min(_CHUNK, max(size, 1)))
    response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
    if request.query.get("chunked") == "1":
        response.enable_chunked_encoding()
    else:
        response.content_length = size
    await response.prepare(request)
    remaining = size
    while remaining > 0:
        piece = chunk[:remaining]
        await response.write(piece)
        remaining -= len(piece)
    await response.write_eof()
    return response


def _compress(data: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(data)
    if coding == "deflate":
        return zlib.compress(data)
    if coding == "br":
        import brotli

        return brotli.compress(data)
    if coding == "zstd":
        import zstandard

        return zstandard.ZstdCompressor().compress(data)
    raise web.HTTPBadRequest(text=f"unknown content coding {coding}")


async def _compressed(request: web.Request) -> web.Response:
    """/gzip and /compress/{coding}: a compressed body of N plain bytes, with Content-Encoding."""
    coding = request.match_info.get("coding", "gzip")
    body = _compress(_payload(int_query(request, "bytes", 1024)), coding)
    return web.Response(body=body, headers={"Content-Type": "text/plain", "Content-Encoding": coding})


async def _redirect(request: web.Request) -> web.Response:
    """/redirect/{n}: n redirects in a row, then a 200 page (?status= picks 301/302/303/307/308)."""
    remaining = int(request.match_info["n"])
    if remaining <= 0:
        return web.Response(text="redirect chain done")
    status = int_query(request, "status", 302)
    location = f"/redirect/{remaining - 1}"
    if request.query_string:
        location += f"?{request.query_string}"
    return web.Response(status=status, headers={"Location": location})


async def _redirect_to(request: web.Request) -> web.Response:
    """A redirect to any ?url= (relative or absolute) with ?status= (default 302)."""
    status = int_query(request, "status", 302)
    return web.Response(status=status, headers={"Location": request.query["url"]})


def _headers_dict(request: web.Request) -> dict[str, str]:
    """Request headers by name; repeated headers joined with ", "."""
    joined: dict[str, str] = {}
    for name, value in request.headers.items():
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


async def _headers(request: web.Request) -> web.Response:
    return web.json_response(_headers_dict(request))


async def _echo(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response(
        {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "headers": _headers_dict(request),
            "body": body.decode("utf-8", "replace"),
        }
    )


async def _cookies_set(request: web.Request) -> web.Response:
    """Set one cookie per query parameter, then redirect to /cookies (as httpbin does)."""
    response = web.Response(status=302, headers={"Location": "/cookies"})
    for name, value in request.query.items():
        response.set_cookie(name, value, path="/")
    return response


async def _cookies_delete(request: web.Request) -> web.Response:
    response = web.Response(status=302, headers={"Location": "/cookies"})
    for name in request.query:
        response.del_cookie(name, path="/")
    return response


async def _cookies(request: web.Request) -> web.Response:
    return web.json_response({"cookies": dict(request.cookies)})


def _login_page(message: str = "") -> str:
    error = f'<p class="error">{message}</p>' if message else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Log in</title></head>
<body>
<h1>Log in</h1>
{error}
<form id="login" action="/login" method="post">
<input type="hidden" name="csrf_token" value="{_CSRF_TOKEN}">
<input type="text" name="username" value="">
<input type="password" name="password" value="">
<input type="submit" name="submit" value="Log in">
</form>
</body></html>
"""


async def _form(request: web.Request) -> web.Response:
    return web.Response(text=_login_page(), content_type="text/html")


async def _login(request: web.Request) -> web.Response:
    """Check the form (token included); on success set the session cookie, go to /private."""
    form = await request.post()
    valid = (
        form.get("csrf_token") == _CSRF_TOKEN
        and form.get("username") == LOGIN_USER
        and form.get("password") == LOGIN_PASSWORD
    )
    if not valid:
        return web.Response(status=401, text=_login_page("Wrong login"), content_type="text/html")
    response = web.Response(status=302, headers={"Location": "/private"})
    response.set_cookie("session", session_token(LOGIN_USER), path="/", httponly=True)
    return response


async def _private(request: web.Request) -> web.Response:
    if request.cookies.get("session") != session_token(LOGIN_USER):
        return web.Response(status=403, text="log in first")
    html = f"<html><body><h1>Private</h1><p class='welcome'>Welcome, {LOGIN_USER}</p></body></html>"
    return web.Response(text=html, content_type="text/html")


async def _json(request: web.Request) -> web.Response:
    return web.json_response(JSON_DOCUMENT)


def encoded_page(name: str) -> tuple[bytes, str]:
    """Body and Content-Type of /encoding/{name}; ENCODING_SAMPLE_TEXT is in the <p>."""
    def html(meta: str = "") -> str:
        return f"<html><head>{meta}<title>Encoding</title></head><body><p>{ENCODING_SAMPLE_TEXT}</p></body></html>"

    if name == "utf-8":
        return html().encode("utf-8"), "text/html; charset=utf-8"
    if name == "latin-1":
        return html().encode("latin-1"), "text/html; charset=iso-8859-1"
    if name == "utf-8-bom":  # the BOM is the only declaration
        return b"\xef\xbb\xbf" + html().encode("utf-8"), "text/html"
    if name == "meta":  # no charset in the header: only the <meta> says latin-1
        return html('<meta charset="iso-8859-1">').encode("latin-1"), "text/html"
    raise web.HTTPNotFound(text=f"encodings: {', '.join(ENCODING_NAMES)}")


async def _encoding(request: web.Request) -> web.Response:
    body, content_type = encoded_page(request.match_info["name"])
    return web.Response(body=body, headers={"Content-Type": content_type})


async def _drop(request: web.Request) -> web.StreamResponse:
    """Promise 100 bytes, send 10, close the connection: a response that loses data."""
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.content_length = 100
    await response.prepare(request)
    await response.write(b"0123456789")
    assert request.transport is not None
    request.transport.close()
    return response


async def _flaky(request: web.Request) -> web.Response:
    """Answer ?status= (default 503) the first ?fail= times per ?key=, then 200: for retries."""
    failures: dict[str, int] = request.app[FLAKY_COUNTS]
    key = request.query.get("key", "")
    failures[key] = failures.get(key, 0) + 1
    if failures[key] <= int_query(request, "fail", 2):
        return web.Response(status=int_query(request, "status", 503), text="try again")
    return web.Response(text=f"ok after {failures[key]} attempts")


async def _robots(request: web.Request) -> web.Response:
    return web.Response(text="User-agent: *\nDisallow: /disallowed\n")


def make_failure_app() -> web.Application:
    """The endpoints tests use to check error handling; see each handler's docstring."""
    app = web.Application()
    app[FLAKY_COUNTS] = {}
    app.router.add_get("/status/{code:\\d+}", _status)
    app.router.add_get("/slow", _slow)
    app.router.add_get("/big", sized_body)
    app.router.add_get("/gzip", _compressed)
    app.router.add_get("/compress/{coding}", _compressed)
    app.router.add_get("/redirect/{n:\\d+}", _redirect)
    app.router.add_get("/redirect-to", _redirect_to)
    app.router.add_route("*", "/headers", _headers)
    app.router.add_route("*", "/echo", _echo)
    app.router.add_get("/cookies/set", _cookies_set)
    app.router.add_get("/cookies/delete", _cookies_delete)
    app.router.add_get("/cookies", _cookies)
    app.router.add_get("/form", _form)
    app.router.add_post("/login", _login)
    app.router.add_get("/private", _private)
    app.router.add_get("/json", _json)
    app.router.add_get("/encoding/{name}", _encoding)
    app.router.add_get("/drop", _drop)
    app.router.add_get("/flaky", _flaky)
    app.router.add_get("/robots.txt", _robots)
    return app
