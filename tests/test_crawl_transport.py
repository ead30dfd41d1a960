"""Crawls over TLS, per-IP download slots, and the feed formats written end to end."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import ssl
import xml.etree.ElementTree as ET

import pytest
import trustme
from aiohttp import web

import ascrapy
from ascrapy.engine.frontier import Frontier
from ascrapy.resolver import HostAddresses
from ascrapy.utils.datatypes import LocalCache
from ascrapy.utils.test import get_crawler

from tests.crawl_helpers import crawl


async def test_https_with_an_untrusted_certificate_is_crawled_like_scrapy(aiohttp_server):
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)

    async def hello(request):
        return web.Response(text="<title>secret</title>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/", hello)
    server = await aiohttp_server(app, ssl=context)
    titles = []

    class Secure(ascrapy.Spider):
        name = "secure"
        start_urls = [f"https://127.0.0.1:{server.port}/"]

        def parse(self, response):
            titles.append((response.css("title::text").get(), response.url))

    crawler = await crawl(Secure)
    assert titles == [("secret", f"https://127.0.0.1:{server.port}/")]
    assert crawler.stats.get_value("downloader/response_status_count/200") == 1


async def test_tls_version_settings_apply_to_downloads(aiohttp_server):
    from ascrapy.exceptions import DownloadFailedError

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    authority.issue_cert("127.0.0.1").configure_cert(context)

    async def hello(request):
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", hello)
    server = await aiohttp_server(app, ssl=context)
    outcomes = []

    class Strict(ascrapy.Spider):
        name = "strict"

        async def start(self):
            yield ascrapy.Request(f"https://127.0.0.1:{server.port}/", callback=outcomes.append,
                                  errback=outcomes.append, dont_filter=True)

    await crawl(Strict, {"DOWNLOAD_TLS_MIN_VERSION": "TLSv1.3", "RETRY_ENABLED": False})
    assert len(outcomes) == 1 and outcomes[0].check(DownloadFailedError)
    outcomes.clear()
    await crawl(Strict, {"DOWNLOAD_TLS_MAX_VERSION": "TLSv1.2"})
    assert len(outcomes) == 1 and outcomes[0].status == 200


async def test_unsupported_scheme_fails_clearly():
    from ascrapy.exceptions import UnsupportedURLSchemeError

    failures = []

    class Gopher(ascrapy.Spider):
        name = "gopher"

        async def start(self):
            yield ascrapy.Request("gopher://127.0.0.1/", errback=failures.append)

    await crawl(Gopher)
    assert len(failures) == 1 and failures[0].check(UnsupportedURLSchemeError)
    assert "Unsupported URL scheme 'gopher'" in str(failures[0].value)


async def test_host_addresses_resolve_in_the_background():
    cache: LocalCache[str, str] = LocalCache(10)
    addresses = HostAddresses(cache)
    assert addresses.address("127.0.0.1") == "127.0.0.1"
    assert addresses.address("localhost") is None  # looked up in the background
    for _ in range(100):
        if "localhost" in cache:
            break
        await asyncio.sleep(0.01)
    assert addresses.address("localhost") in {"127.0.0.1", "::1"}


@pytest.mark.filterwarnings("ignore:The CONCURRENT_REQUESTS_PER_IP setting is deprecated")
async def test_per_ip_slots_key_hosts_by_address():
    crawler = get_crawler(settings_dict={"CONCURRENT_REQUESTS_PER_IP": 3})
    frontier = Frontier.from_crawler(crawler)
    frontier.politeness.addresses.cache["a.example"] = "10.0.0.7"
    frontier.politeness.addresses.cache["b.example"] = "10.0.0.7"
    keys = {frontier.slot_key(ascrapy.Request(f"http://{h}.example/")) for h in "ab"}
    assert keys == {"10.0.0.7"}
    frontier.push(ascrapy.Request("http://a.example/1"))
    assert frontier.slots["10.0.0.7"].concurrency == 3


class ItemsSpider(ascrapy.Spider):
    name = "items"

    async def start(self):
        yield {"name": "a", "tags": ["x", "y"], "price": 1.5}
        yield {"name": "b", "tags": [], "price": 2}


@pytest.mark.parametrize("fmt", ["json", "jsonlines", "csv", "xml"])
async def test_feed_formats_hold_every_item(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    await crawl(ItemsSpider, {"FEEDS": {str(path): {"format": fmt}}})
    text = path.read_text(encoding="utf-8")
    if fmt == "json":
        rows = json.loads(text)
    elif fmt == "jsonlines":
        rows = [json.loads(line) for line in text.splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0]["tags"] == "x,y"
    else:
        rows = [{child.tag: child.text for child in node} for node in ET.fromstring(text)]
    assert sorted(row["name"] for row in rows) == ["a", "b"]


async def test_feed_append_and_overwrite(tmp_path):
    path = tmp_path / "out.jsonl"
    await crawl(ItemsSpider, {"FEEDS": {str(path): {"format": "jsonlines"}}})
    await crawl(ItemsSpider, {"FEEDS": {str(path): {"format": "jsonlines"}}})
    assert len(path.read_text().splitlines()) == 4
    await crawl(ItemsSpider, {"FEEDS": {str(path): {"format": "jsonlines", "overwrite": True}}})
    assert len(path.read_text().splitlines()) == 2


async def test_feed_batches_reach_the_file_before_the_crawl_ends(tmp_path, aiohttp_server):
    """A slow crawl's items are written within FEED_WRITE_BATCH_TIMEOUT, not only at the end."""
    path = tmp_path / "out.jsonl"
    lines_seen_mid_crawl = []

    async def slow(request):
        await asyncio.sleep(0.4)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", slow)
    server = await aiohttp_server(app)

    class Slow(ascrapy.Spider):
        name = "slow"

        async def start(self):
            yield {"n": 0}
            yield ascrapy.Request(str(server.make_url("/")))

        def parse(self, response):
            lines_seen_mid_crawl.append(len(path.read_text().splitlines()) if path.exists() else 0)
            yield {"n": 1}

    await crawl(Slow, {"FEEDS": {str(path): {"format": "jsonlines"}}, "FEED_WRITE_BATCH_TIMEOUT": 0.1})
    assert lines_seen_mid_crawl == [1]
    assert len(path.read_text().splitlines()) == 2
