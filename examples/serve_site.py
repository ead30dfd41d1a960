"""Serve the example bookstore (examples/site) on 127.0.0.1.

    python examples/serve_site.py [PORT]

PORT defaults to a free one. The first line printed is the base URL to pass to the
spiders: ``ascrapy crawl books -a base_url=URL``. Stop with Ctrl+C.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiohttp import web

SITE_DIR = Path(__file__).resolve().parent / "site"


def make_site_app(site_dir: Path = SITE_DIR) -> web.Application:
    """An aiohttp app serving ``site_dir`` as static files, with / answering index.html."""

    async def home(request: web.Request) -> web.FileResponse:
        return web.FileResponse(site_dir / "index.html")

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_static("/", site_dir)
    return app


async def serve(port: int) -> None:
    """Serve until cancelled; print the base URL as soon as the port is bound."""
    runner = web.AppRunner(make_site_app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        print(f"http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main(argv: list[str]) -> int:
    port = int(argv[1]) if len(argv) > 1 else 0
    try:
        asyncio.run(serve(port))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
