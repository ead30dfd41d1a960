"""The spine's acceptance checks, run as a user would: the `ascrapy` command in a subprocess."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from aiohttp import web

from tests.sites import make_link_site, serve_app_in_thread

SPIDER = '''
import ascrapy as scrapy


class LinkSpider(scrapy.Spider):
    name = "links"

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        page = response.css("article.page")
        if page:
            yield {
                "url": response.url,
                "title": response.css("h1::text").get(),
                "price": response.css("dd.price::text").get(),
            }
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
'''


def ascrapy_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ascrapy", *args]


def stat_value(log: str, key: str) -> object:
    match = re.search(rf"'{re.escape(key)}': ([^,\n}}]+)", log)
    assert match, f"{key} not in the stats dump"
    return eval(match.group(1))  # noqa: S307 - a literal from our own stats dump


def test_two_thousand_pages_give_exactly_two_thousand_items(tmp_path: Path) -> None:
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    output = tmp_path / "items.jsonl"
    with serve_app_in_thread(make_link_site(2000, 20)) as base:
        done = subprocess.run(
            ascrapy_command("runspider", str(spider), "-a", f"base={base}", "-O", str(output),
                            "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
                            "-L", "INFO"),
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    items = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(items) == 2000
    assert {item["url"].rsplit("/", 1)[1] for item in items} == {str(n) for n in range(2000)}
    assert stat_value(done.stderr, "item_scraped_count") == 2000
    assert stat_value(done.stderr, "finish_reason") == "finished"


def delayed(app: web.Application, seconds: float, *, home_too: bool = True) -> web.Application:
    """``app`` answering ``seconds`` late (all but / when not ``home_too``)."""

    @web.middleware
    async def delay(request: web.Request, handler):  # type: ignore[no-untyped-def]
        if home_too or request.path != "/":
            await asyncio.sleep(seconds)
        return await handler(request)

    app.middlewares.append(delay)
    return app


def test_sigterm_mid_crawl_stops_gracefully_and_keeps_every_counted_item(tmp_path: Path) -> None:
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    output = tmp_path / "items.jsonl"
    with serve_app_in_thread(delayed(make_link_site(3000, 20), 0.05)) as base:
        process = subprocess.Popen(
            ascrapy_command("runspider", str(spider), "-a", f"base={base}", "-O", str(output),
                            "-s", "CONCURRENT_REQUESTS=8", "-L", "INFO"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        time.sleep(3)
        assert process.poll() is None, "the crawl ended before it could be stopped"
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=60)
    assert process.returncode == 0, log[-3000:]
    assert "Received SIGTERM, shutting down gracefully. Send again to force" in log
    assert stat_value(log, "finish_reason") == "shutdown"
    scraped = stat_value(log, "item_scraped_count")
    lines = output.read_text().splitlines()
    assert 0 < len(lines) < 3000
    assert len(lines) == scraped


def test_second_sigterm_stops_at_once(tmp_path: Path) -> None:
    """Pages that take 30 s would hold a graceful stop for 30 s; a second signal does not wait."""
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    with serve_app_in_thread(delayed(make_link_site(10, 2), 30, home_too=False)) as base:
        process = subprocess.Popen(
            ascrapy_command("runspider", str(spider), "-a", f"base={base}", "-L", "INFO"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        time.sleep(3)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, log = process.communicate(timeout=20)
    assert time.monotonic() - started < 10
    assert "Received SIGTERM twice, forcing unclean shutdown" in log
