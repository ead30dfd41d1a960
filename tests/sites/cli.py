"""``python -m tests.sites``: serve a site in a process of its own, or write the link site."""

from __future__ import annotations

import argparse
import asyncio

from tests.sites.failures import make_failure_app
from tests.sites.link import make_link_site, write_link_site
from tests.sites.serving import start_app


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
        runner, url = await start_app(app, args.host, args.port)
        print(url, flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
