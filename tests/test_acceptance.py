"""The spine's acceptance checks, run as a user would: the `ascrapy` command in a subprocess."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from aiohttp import web

from tests.process_helpers import LineReader
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


class Requests:
    """What the server saw: ``reached(n)`` is set once it has received ``n`` page requests."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seen = 0
        self.reached = threading.Event()

    def saw_one(self) -> None:
        self.seen += 1
        if self.seen >= self.count:
            self.reached.set()


def delayed(app: web.Application, seconds: float, requests: Requests, *, home_too: bool = True) -> web.Application:
    """``app`` answering ``seconds`` late (all but / when not ``home_too``); ``requests`` counts
    the delayed requests as they arrive."""

    @web.middleware
    async def delay(request: web.Request, handler):  # type: ignore[no-untyped-def]
        if home_too or request.path != "/":
            requests.saw_one()
            await asyncio.sleep(seconds)
        return await handler(request)

    app.middlewares.append(delay)
    return app


def test_sigterm_mid_crawl_stops_gracefully_and_keeps_every_counted_item(tmp_path: Path) -> None:
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    output = tmp_path / "items.jsonl"
    requests = Requests(50)
    with serve_app_in_thread(delayed(make_link_site(3000, 20), 0.05, requests)) as base:
        process = subprocess.Popen(
            ascrapy_command("runspider", str(spider), "-a", f"base={base}", "-O", str(output),
                            "-s", "CONCURRENT_REQUESTS=8", "-L", "INFO"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        log = LineReader(process.stderr)  # type: ignore[arg-type]
        assert requests.reached.wait(timeout=60), "the crawl never got going"  # a hang guard
        assert process.poll() is None, "the crawl ended before it could be stopped"
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    text = log.rest()
    assert process.returncode == 0, text[-3000:]
    assert "Received SIGTERM, shutting down gracefully. Send again to force" in text
    assert stat_value(text, "finish_reason") == "shutdown"
    scraped = stat_value(text, "item_scraped_count")
    lines = output.read_text().splitlines()
    assert 0 < len(lines) < 3000
    assert len(lines) == scraped


def test_second_sigterm_stops_at_once(tmp_path: Path) -> None:
    """Pages that never answer would hold a graceful stop for ever; a second signal does not
    wait for them. The timeouts below only guard against a hang."""
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    stuck = Requests(1)
    with serve_app_in_thread(delayed(make_link_site(10, 2), 3600, stuck, home_too=False)) as base:
        process = subprocess.Popen(
            ascrapy_command("runspider", str(spider), "-a", f"base={base}", "-L", "INFO"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        log = LineReader(process.stderr)  # type: ignore[arg-type]
        assert stuck.reached.wait(timeout=60), "no page was requested"
        process.send_signal(signal.SIGTERM)
        log.wait_for(re.escape("Received SIGTERM, shutting down gracefully"))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    text = log.rest()
    assert "Received SIGTERM twice, forcing unclean shutdown" in text
    # The graceful close that was waiting for the stuck pages still closes every part.
    assert "Spider closed (shutdown)" in text and "Dumping Scrapy stats" in text
