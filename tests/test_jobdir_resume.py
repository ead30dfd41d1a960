"""JOBDIR: a stopped crawl resumes where it was (killed ones: tests/test_crash_resume.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawl_helpers import crawl
from tests.link_spider import Pages
from tests.sites import make_link_site


def pages_of(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["url"].rsplit("/", 1)[1] for line in path.read_text().splitlines()]




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
