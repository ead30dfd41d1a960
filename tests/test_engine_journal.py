"""JOBDIR: a crawl stopped, or killed, resumes from its frontier journal without losing pages."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import ascrapy
from aiohttp import web

from tests.crawl_helpers import crawl
from tests.test_acceptance import SPIDER  # the same link-following spider, as a file
from tests.sites import make_link_site, serve_app_in_thread



def pages_of(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["url"].rsplit("/", 1)[1] for line in path.read_text().splitlines()]


class Pages(ascrapy.Spider):
    name = "pages"

    def parse(self, response):
        if response.css("article.page"):
            yield {"url": response.url}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


async def test_stopped_crawl_resumes_and_covers_every_page_once(aiohttp_server, tmp_path):
    server = await aiohttp_server(make_link_site(60, 5))
    jobdir = str(tmp_path / "job")
    feed = tmp_path / "items.jsonl"
    settings = {"JOBDIR": jobdir, "FEEDS": {str(feed): {"format": "jsonlines"}},
                "CONCURRENT_REQUESTS": 2, "CLOSESPIDER_PAGECOUNT": 10}
    first = await crawl(Pages, settings, start_urls=[str(server.make_url("/"))])
    assert first.stats.get_value("finish_reason") == "closespider_pagecount"
    assert first.stats.get_value("scheduler/enqueued/disk") > 0
    settings.pop("CLOSESPIDER_PAGECOUNT")
    second = await crawl(Pages, settings, start_urls=[str(server.make_url("/"))])
    assert second.stats.get_value("finish_reason") == "finished"
    pages = pages_of(feed)
    assert sorted(pages, key=int) == [str(n) for n in range(60)]  # each page exactly once


def test_killed_crawl_resumes_with_its_in_flight_requests(tmp_path: Path) -> None:
    spider = tmp_path / "links.py"
    spider.write_text(SPIDER)
    app = make_link_site(400, 10)

    @web.middleware
    async def slow(request, handler):  # type: ignore[no-untyped-def]
        import asyncio

        await asyncio.sleep(0.2)
        return await handler(request)

    app.middlewares.append(slow)
    jobdir = tmp_path / "job"
    with serve_app_in_thread(app) as base:
        def run(output: Path) -> subprocess.Popen[str]:
            return subprocess.Popen(
                [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-a", f"base={base}",
                 "-s", f"JOBDIR={jobdir}", "-s", "FEED_WRITE_BATCH_SIZE=1", "-O", str(output),
                 "-s", "CONCURRENT_REQUESTS=8", "-L", "INFO"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
            )

        killed = run(tmp_path / "first.jsonl")
        time.sleep(3)
        killed.send_signal(signal.SIGKILL)
        _, killed_log = killed.communicate(timeout=30)
        first = set(pages_of(tmp_path / "first.jsonl"))
        assert 0 < len(first) < 400, killed_log[-2000:]
        resumed = run(tmp_path / "second.jsonl")
        _, log = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, log[-2000:]
    assert "Resuming crawl" in log
    second = set(pages_of(tmp_path / "second.jsonl"))
    assert first | second == {str(n) for n in range(400)}
