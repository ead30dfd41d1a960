"""``ascrapy bench`` and its site: a short crawl that reports pages, and pages made from URLs."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from ascrapy.utils.benchserver import make_app, render_page
from ascrapy.utils.test import get_testenv

LOGSTATS_LINE = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")


def test_bench_command_crawls_pages_and_exits_zero(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ascrapy", "bench", "-s", "CLOSESPIDER_TIMEOUT=2"],
        capture_output=True, text=True, cwd=tmp_path, env=get_testenv(), timeout=120,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    crawled = [int(pages) for pages, _rate in LOGSTATS_LINE.findall(log)]
    assert crawled, log[-3000:]
    assert max(crawled) > 0
    assert "'finish_reason': 'closespider_timeout'" in log
    # the LOGSTATS_INTERVAL=1 default: one line at the start and about one a second after
    assert len(crawled) >= 2


def links_of(html: str) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(href).query) for href in Selector(text=html).css("a::attr(href)").getall()]


def test_page_is_made_from_its_url_and_links_one_level_deeper():
    page = render_page("/follow?total=50&show=20&depth=3&n=7", total=50, show=20, depth=3)
    assert page == render_page("/follow?total=50&show=20&depth=3&n=7", total=50, show=20, depth=3)
    assert page != render_page("/follow?total=50&show=20&depth=3&n=8", total=50, show=20, depth=3)
    links = links_of(page)
    assert len(links) == 20
    assert {link["depth"][0] for link in links} == {"4"}
    assert all(1 <= int(link["n"][0]) <= 50 for link in links)
    assert {(link["total"][0], link["show"][0]) for link in links} == {("50", "20")}


async def test_server_answers_any_path_with_show_links(aiohttp_client):
    client = await aiohttp_client(make_app())
    first = await client.get("/?total=1000&show=5")
    assert first.status == 200
    assert first.content_type == "text/html"
    html = await first.text()
    assert len(links_of(html)) == 5
    again = await client.get("/?total=1000&show=5")
    assert await again.text() == html
    deeper = await client.get("/follow?total=1000&show=5&depth=1&n=3")
    assert {link["depth"][0] for link in links_of(await deeper.text())} == {"2"}
    bad = await client.get("/?show=many")
    assert bad.status == 400
