"""Local sites that tests, examples and benchmarks crawl; all served on 127.0.0.1.

A plain module (no pytest import) so that bench/ can use it too: with the repository
root on sys.path, ``from tests.sites import make_link_site``.

- ``make_link_site``: a deterministic generated site of N pages with K links each, the
  "2,000-page site, 20 links per page" of the tests and benchmarks.
- ``write_link_site``: the same pages as static files, for nginx or any static server.
- ``make_failure_app``: small endpoints for what goes wrong on the web (statuses, slow
  and big bodies, compression, redirects, cookies, a login form, odd encodings).
- ``start_app`` / ``serve_app_in_thread``: run an app on a free port in the current loop
  or in a thread of its own (for subprocesses and code that runs its own event loop).
- ``crawl_links``: a plain aiohttp breadth-first crawl, to check that a site is whole.

From a shell, to serve a site in a process of its own (benchmarks) or write it to disk::

    python -m tests.sites link --pages 2000 --links 20 [--seed 0] [--port 8000]
    python -m tests.sites failures [--port 8001]
    python -m tests.sites write DIRECTORY --pages 2000 --links 20 [--layout directory]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import random
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import aiohttp
from aiohttp import web
from parsel import Selector

# ---------------------------------------------------------------- the link site

_WORDS = (
    "crawler spider request response selector item pipeline feed engine frontier "
    "download middleware scheduler priority cookie header redirect retry throttle "
    "asyncio stream worker queue batch export parse follow extract link page"
).split()


def link_targets(page: int, pages: int, links_per_page: int, seed: int = 0) -> list[int]:
    """The pages ``page`` links to: the next page first (so /page/0 reaches all), then random ones."""
    rng = random.Random(f"{seed}:{page}:links")
    targets = [(page + 1) % pages]
    targets.extend(rng.randrange(pages) for _ in range(links_per_page - 1))
    return targets[:links_per_page]


@lru_cache(maxsize=8192)
def render_link_page(page: int, pages: int, links_per_page: int, seed: int = 0) -> str:
    """The HTML of one page: about 2 KB with 20 links, ASCII only, stable for a given seed."""
    rng = random.Random(f"{seed}:{page}:text")
    summary = " ".join(rng.choice(_WORDS) for _ in range(45)).capitalize() + "."
    price = f"{rng.randrange(100, 10000) / 100:.2f}"
    tags = sorted(set(rng.sample(_WORDS, 3)))
    links = "\n".join(
        f'<li><a href="/page/{target}" class="page-link">Page {target}</a></li>'
        for target in link_targets(page, pages, links_per_page, seed)
    )
    tag_items = "".join(f'<li class="tag">{tag}</li>' for tag in tags)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Page {page} | Link site</title>
<meta name="description" content="Generated page {page} of {pages}">
</head>
<body>
<header><nav><a href="/">Home</a> | <a href="/page/0">First page</a></nav></header>
<main>
<article class="page" id="page-{page}" data-page="{page}">
<h1>Page {page}</h1>
<p class="summary">{summary}</p>
<dl class="facts">
<dt>Price</dt><dd class="price">${price}</dd>
<dt>Position</dt><dd class="position">{page + 1} of {pages}</dd>
</dl>
<ul class="tags">{tag_items}</ul>
<h2>Related pages</h2>
<ul class="links">
{links}
</ul>
</article>
</main>
<footer><p>Link site, seed {seed}. Every page is generated; nothing here is real.</p></footer>
</body>
</html>
"""


def render_link_index(pages: int) -> str:
    """The home page: one link to /page/0, where the crawl of the site starts."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Link site</title></head>
<body>
<h1>Link site</h1>
<p>{pages} pages. Start at <a href="/page/0">page 0</a>.</p>
</body>
</html>
"""


def make_link_site(pages: int, links_per_page: int, seed: int = 0) -> web.Application:
    """Serve / and /page/0 .. /page/{pages-1}; every page is reachable from /page/0.

    The last page links back to /page/0, so a crawl whose start request is /page/0 with
    dont_filter (as start_urls are) fetches it twice: pages + 1 responses.
    """
    if pages < 1 or links_per_page < 1:
        raise ValueError("a link site needs at least one page and one link per page")
    index = render_link_index(pages).encode()

    @lru_cache(maxsize=16384)  # encoded once: serving should cost the benchmarks little
    def body(number: int) -> bytes:
        return render_link_page(number, pages, links_per_page, seed).encode()

    async def home(request: web.Request) -> web.Response:
        return web.Response(body=index, content_type="text/html", charset="utf-8")

    async def page(request: web.Request) -> web.Response:
        number = request.match_info["number"]
        if not number.isdigit() or int(number) >= pages or str(int(number)) != number:
            raise web.HTTPNotFound()
        return web.Response(body=body(int(number)), content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/page/{number}", page)
    return app


def write_link_site(
    directory: str | Path,
    pages: int,
    links_per_page: int,
    seed: int = 0,
    layout: str = "file",
) -> Path:
    """Write the link site as static files; the links are the same as make_link_site's.

    ``layout="file"`` writes page/N.html, ``layout="directory"`` page/N/index.html. Either
    way the links say /page/N, so the server maps them, e.g. nginx:
    ``location / { default_type text/html; try_files $uri $uri.html $uri/index.html =404; }``
    """
    if layout not in ("file", "directory"):
        raise ValueError(f"unknown layout {layout!r}: use 'file' or 'directory'")
    root = Path(directory)
    (root / "page").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(render_link_index(pages), encoding="utf-8")
    for number in range(pages):
        html = render_link_page(number, pages, links_per_page, seed)
        if layout == "file":
            target = root / "page" / f"{number}.html"
        else:
            target = root / "page" / str(number) / "index.html"
            target.parent.mkdir(exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return root


# ---------------------------------------------------------------- the failure app

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


def _int_query(request: web.Request, name: str, default: int) -> int:
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


async def _big(request: web.Request) -> web.StreamResponse:
    """N bytes in chunks; Content-Length unless ?chunked=1 (then chunked transfer encoding)."""
    size = _int_query(request, "bytes", 1024 * 1024)
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
    body = _compress(_payload(_int_query(request, "bytes", 1024)), coding)
    return web.Response(body=body, headers={"Content-Type": "text/plain", "Content-Encoding": coding})


async def _redirect(request: web.Request) -> web.Response:
    """/redirect/{n}: n redirects in a row, then a 200 page (?status= picks 301/302/303/307/308)."""
    remaining = int(request.match_info["n"])
    if remaining <= 0:
        return web.Response(text="redirect chain done")
    status = _int_query(request, "status", 302)
    location = f"/redirect/{remaining - 1}"
    if request.query_string:
        location += f"?{request.query_string}"
    return web.Response(status=status, headers={"Location": location})


async def _redirect_to(request: web.Request) -> web.Response:
    """A redirect to any ?url= (relative or absolute) with ?status= (default 302)."""
    status = _int_query(request, "status", 302)
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
    if failures[key] <= _int_query(request, "fail", 2):
        return web.Response(status=_int_query(request, "status", 503), text="try again")
    return web.Response(text=f"ok after {failures[key]} attempts")


async def _robots(request: web.Request) -> web.Response:
    return web.Response(text="User-agent: *\nDisallow: /disallowed\n")


def make_failure_app() -> web.Application:
    """The endpoints tests use to check error handling; see each handler's docstring."""
    app = web.Application()
    app[FLAKY_COUNTS] = {}
    app.router.add_get("/status/{code:\\d+}", _status)
    app.router.add_get("/slow", _slow)
    app.router.add_get("/big", _big)
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


# ---------------------------------------------------------------- serving


async def start_app(app: web.Application, host: str = "127.0.0.1") -> tuple[web.AppRunner, str]:
    """Serve ``app`` on a free port of ``host`` in the running loop; return the runner and base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://{host}:{port}"


@contextmanager
def serve_app_in_thread(app: web.Application, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` from a thread with its own event loop; yield the base URL, then stop.

    For callers that block (a subprocess, code that runs its own loop), where a server in
    the caller's loop would never get to answer.
    """
    loop = asyncio.new_event_loop()
    started = threading.Event()
    outcome: dict[str, object] = {}

    async def run() -> None:
        try:
            runner, outcome["url"] = await start_app(app, host)
        except BaseException as exc:  # reported to the caller's thread below
            outcome["error"] = exc
            started.set()
            return
        stop = asyncio.Event()
        outcome["stop"] = stop
        started.set()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    async def cancel_leftovers() -> None:
        """Handlers still sleeping (e.g. /slow) would otherwise die noisily with the loop."""
        leftovers = asyncio.all_tasks() - {asyncio.current_task()}
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)
        await loop.shutdown_asyncgens()

    def run_loop() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(run())
            loop.run_until_complete(cancel_leftovers())
        finally:
            loop.close()

    thread = threading.Thread(target=run_loop, name="test-site-server", daemon=True)
    thread.start()
    started.wait()
    try:
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        yield str(outcome["url"])
    finally:
        stop = outcome.get("stop")
        if isinstance(stop, asyncio.Event):
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)


async def crawl_links(start_url: str, concurrency: int = 16) -> dict[str, tuple[int, str]]:
    """Follow every <a href> of HTML pages on the start URL's origin; URL -> (status, text).

    Independent of ascrapy on purpose: it checks the sites, not the crawler.
    """
    origin = start_url.split("/", 3)[:3]
    results: dict[str, tuple[int, str]] = {}
    seen = {start_url}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start_url)

    async def visit(session: aiohttp.ClientSession, url: str) -> None:
        async with session.get(url) as response:
            text = await response.text()
            results[url] = (response.status, text)
            if response.content_type != "text/html":
                return
        for href in Selector(text=text).css("a::attr(href)").getall():
            link = urldefrag(urljoin(url, href)).url
            if link.split("/", 3)[:3] == origin and link not in seen:
                seen.add(link)
                queue.put_nowait(link)

    async def worker(session: aiohttp.ClientSession) -> None:
        while True:
            url = await queue.get()
            try:
                await visit(session, url)
            except Exception as error:  # recorded, so that one bad page does not hang the crawl
                results[url] = (-1, repr(error))
            finally:
                queue.task_done()

    async with aiohttp.ClientSession() as session:
        workers = [asyncio.create_task(worker(session)) for _ in range(concurrency)]
        await queue.join()
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return results


def main(argv: list[str] | None = None) -> None:
    """Serve a site in the foreground (printing its URL first) or write the link site."""
    parser = argparse.ArgumentParser(prog="python -m tests.sites", description=main.__doc__)
    parser.add_argument("site", choices=["link", "failures", "write"])
    parser.add_argument("directory", nargs="?", help="where `write` puts the files")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layout", choices=["file", "directory"], default="file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    if args.site == "write":
        if not args.directory:
            parser.error("write needs a DIRECTORY")
        print(write_link_site(args.directory, args.pages, args.links, args.seed, args.layout))
        return
    app = make_link_site(args.pages, args.links, args.seed) if args.site == "link" else make_failure_app()

    async def serve() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, args.host, args.port).start()
        print(f"http://{args.host}:{runner.addresses[0][1]}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
