"""The framework's own cost per page, without the network: the links spider crawls the
2,000-page link site from memory through every default component except the HTTP client.

    python bench/hotpath.py [--rounds 5] [--profile out.prof]

A download handler for http:// returns the pages from memory, so what is timed (CPU time
of this process, the best of several rounds) is ascrapy: middlewares, frontier, dedupe,
callbacks, selectors, logging, the feed. Quick and steady enough to compare one change
with the next; the side-by-side figures against Scrapy come from crawl_bench.py.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH / "spiders"), str(BENCH.parent)]

from links_spider import LinksSpider  # noqa: E402

from ascrapy.crawler import CrawlerRunner  # noqa: E402
from ascrapy.http import HtmlResponse  # noqa: E402
from ascrapy.utils.log import configure_logging  # noqa: E402
from tests.sites.link import render_link_index, render_link_page  # noqa: E402

PAGES, LINKS = 2000, 20
BASE = "http://127.0.0.1:8000"


class MemorySiteHandler:
    """http:// from memory: the link site's pages, rendered once per process."""

    lazy = False
    bodies: dict[str, bytes] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    async def download_request(self, request):
        bodies = self.bodies
        if not bodies:
            bodies[f"{BASE}/"] = render_link_index(PAGES).encode()
            for page in range(PAGES):
                bodies[f"{BASE}/page/{page}"] = render_link_page(page, PAGES, LINKS).encode()
        body = bodies.get(request.url)
        status = 200 if body is not None else 404
        return HtmlResponse(request.url, status=status, body=body or b"",
                            headers={"Content-Type": "text/html; charset=utf-8"}, request=request)

    async def close(self):
        pass


def settings(output: Path, extra: dict | None = None) -> dict:
    return {
        "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
        "DOWNLOAD_HANDLERS": {"http": f"{__name__}.MemorySiteHandler"},
        "FEEDS": {str(output): {"format": "jsonlines", "overwrite": True}},
        "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": False,
        **(extra or {}),
    }


async def crawl_once(output: Path, extra: dict | None = None) -> float:
    runner = CrawlerRunner(settings(output, extra))
    started = time.process_time()
    await runner.crawl(LinksSpider, base=BASE)
    elapsed = time.process_time() - started
    lines = output.read_text().count("\n")
    if lines != PAGES:
        raise SystemExit(f"expected {PAGES} items, got {lines}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed crawls after a warm-up one (0: time that one)")
    parser.add_argument("--profile", help="write a cProfile of one more round here")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for these crawls (JSON values), to see what a component costs")
    args = parser.parse_args()
    extra = {}
    for pair in args.set:
        name, _, value = pair.partition("=")
        try:
            extra[name] = json.loads(value)
        except ValueError:
            extra[name] = value
    sys.modules.setdefault(__name__, sys.modules["__main__"])
    configure_logging({"LOG_LEVEL": "WARNING"})
    logging.getLogger().setLevel(logging.NOTSET)
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "items.jsonl"
        first = asyncio.run(crawl_once(output, extra))  # also warms up: imports, rendering the pages
        times = [asyncio.run(crawl_once(output, extra)) for _ in range(args.rounds)] or [first]
        print(f"CPU per crawl of {PAGES} pages: best {min(times):.3f} s, "
              f"all {' '.join(f'{t:.3f}' for t in times)}; "
              f"{min(times) / PAGES * 1e6:.0f} us/page")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            asyncio.run(crawl_once(output, extra))
            profile.disable()
            profile.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
