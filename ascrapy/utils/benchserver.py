"""The site ``ascrapy bench`` crawls: endless pages, each linking to ``show`` deeper ones.

Every page is made from its URL alone (a random generator seeded with the path and query),
so the server keeps no state and the same URL always gives the same page. Query arguments:
``total`` (links point to ``n`` in 1..total), ``show`` (links per page), ``depth`` (one more
on every link), ``n``. Run it in a process of its own::

    python -m ascrapy.utils.benchserver [--host 127.0.0.1] [--port 0]

It prints ``Bench server at http://HOST:PORT`` once it listens (port 0: a free one).
"""

from __future__ import annotations

import argparse
import asyncio
import random
from urllib.parse import urlencode

from aiohttp import web

DEFAULT_TOTAL = 100
DEFAULT_SHOW = 10


def _int_arg(request: web.Request, name: str, default: int) -> int:
    try:
        return max(int(request.query.get(name, default)), 0)
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be an integer") from None


def render_page(path_qs: str, total: int, show: int, depth: int) -> str:
    """The HTML of one page: ``show`` links to pages one level deeper, picked by the URL's seed."""
    rng = random.Random(path_qs)
    links = []
    for _ in range(show):
        number = rng.randint(1, max(total, 1))
        query = urlencode({"total": total, "show": show, "depth": depth + 1, "n": number})
        links.append(f"<a href='/follow?{query}'>follow {number}</a><br>")
    return f"<html><head><title>Bench page {depth}</title></head><body>{''.join(links)}</body></html>"


async def _page(request: web.Request) -> web.Response:
    total = _int_arg(request, "total", DEFAULT_TOTAL)
    show = _int_arg(request, "show", DEFAULT_SHOW)
    depth = _int_arg(request, "depth", 0)
    html = render_page(request.path_qs, total, show, depth)
    return web.Response(text=html, content_type="text/html")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/{tail:.*}", _page)
    return app


async def serve(host: str = "127.0.0.1", port: int = 0) -> None:
    """Listen, announce the address on stdout, and serve until the process is stopped."""
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bound_host, bound_port = runner.addresses[0][:2]
    print(f"Bench server at http://{bound_host}:{bound_port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ascrapy.utils.benchserver", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.host, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
