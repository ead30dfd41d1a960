"""The practical lower bound: the links spider's work done with plain aiohttp and parsel.

    python bench/bare_loop.py BASE_URL OUTPUT.jsonl [--workers 32]

No framework: a seen-set of URLs, a queue, N worker tasks sharing one aiohttp session, the
same item extraction as bench/spiders/links_spider.py, and one JSON line per item. Whatever
a crawler framework costs on top of this is the price of its features.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import IO
from urllib.parse import urldefrag, urljoin

import aiohttp
from parsel import Selector


def extract(url: str, text: str) -> tuple[dict | None, list[str]]:
    """The spider's item (only on article pages) and the absolute URLs of every link."""
    page = Selector(text=text)
    item = None
    if page.css("article.page"):
        item = {
            "url": url,
            "title": page.css("h1::text").get(),
            "price": page.css("dd.price::text").get(),
            "tags": page.css("li.tag::text").getall(),
        }
    links = [urldefrag(urljoin(url, href)).url for href in page.css("a::attr(href)").getall()]
    return item, links


async def crawl(start_url: str, output: IO[str], workers: int) -> tuple[int, int, int]:
    """Crawl from ``start_url``; return (pages fetched, items written, failures)."""
    seen = {start_url}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start_url)
    counts = {"pages": 0, "items": 0, "failures": 0}

    async def fetch_and_parse(session: aiohttp.ClientSession, url: str) -> None:
        async with session.get(url) as response:
            text = await response.text()
        counts["pages"] += 1
        item, links = extract(str(response.url), text)
        if item is not None:
            output.write(json.dumps(item) + "\n")
            counts["items"] += 1
        for link in links:
            if link not in seen:
                seen.add(link)
                queue.put_nowait(link)

    async def worker(session: aiohttp.ClientSession) -> None:
        while True:
            url = await queue.get()
            try:
                await fetch_and_parse(session, url)
            except Exception as error:  # noqa: BLE001 - one bad page must not hang the crawl
                counts["failures"] += 1
                print(f"failed {url}: {error!r}", file=sys.stderr)
            finally:
                queue.task_done()

    connector = aiohttp.TCPConnector(limit=workers, limit_per_host=workers)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.create_task(worker(session)) for _ in range(workers)]
        await queue.join()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return counts["pages"], counts["items"], counts["failures"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="the site's root, e.g. http://127.0.0.1:8000")
    parser.add_argument("output", help="JSON lines file, overwritten")
    parser.add_argument("--workers", type=int, default=32)
    args = parser.parse_args()
    started = time.monotonic()
    with open(args.output, "w", encoding="utf-8") as output:
        pages, items, failures = asyncio.run(crawl(args.base_url.rstrip("/") + "/", output, args.workers))
    seconds = time.monotonic() - started
    print(f"bare loop: {pages} pages, {items} items, {failures} failures in {seconds:.2f} s", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
