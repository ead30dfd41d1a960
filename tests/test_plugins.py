"""Extension points plugins rely on: handlers, subclasses, dupefilters, fingerprinters."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ascrapy
from ascrapy.dupefilters import RFPDupeFilter
from ascrapy.http import HtmlResponse
from ascrapy.middleware.downloader.retry import RetryMiddleware

from tests.crawl_helpers import crawl
from tests.sites import make_link_site, serve_app_in_thread


class MemoryHandler:
    """A DOWNLOAD_HANDLERS entry answering mem:// URLs without any network."""

    lazy = False

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def download_request(self, request):
        path = request.url.split("://", 1)[1]
        return BodyResponse(url=request.url, body=f"<title>{path}</title>".encode(), request=request)


class BodyResponse(HtmlResponse):
    """A Response subclass a plugin defines."""

    def title(self):
        return self.css("title::text").get()


class Deferred:
    """What a Twisted-era handler or pipeline returns."""

    def addCallback(self, *args):
        return self


class TaggedRequest(ascrapy.Request):
    """A Request subclass carrying a plugin's own attribute."""

    def __init__(self, *args, tag="", **kwargs):
        super().__init__(*args, **kwargs)
        self.tag = tag


async def test_custom_download_handler_with_request_and_response_subclasses():
    seen = []

    class Memory(ascrapy.Spider):
        name = "memory"

        async def start(self):
            yield TaggedRequest("mem://home", tag="t1")

        def parse(self, response):
            seen.append((type(response), response.title(), response.request.tag))

    await crawl(Memory, {"DOWNLOAD_HANDLERS": {"mem": MemoryHandler}})
    assert seen == [(BodyResponse, "home", "t1")]


async def test_a_handler_returning_a_deferred_like_object_gets_a_clear_error():
    class TwistedHandler(MemoryHandler):
        def download_request(self, request):
            return Deferred()

    failures = []

    class Old(ascrapy.Spider):
        name = "old"

        async def start(self):
            yield ascrapy.Request("mem://x", errback=failures.append)

    await crawl(Old, {"DOWNLOAD_HANDLERS": {"mem": TwistedHandler}, "RETRY_ENABLED": False})
    assert len(failures) == 1
    assert "must be an 'async def' method" in str(failures[0].value)


class SeenByPath(RFPDupeFilter):
    """Treats URLs that differ only in their query as the same page."""

    def request_seen(self, request):
        key = request.url.split("?", 1)[0]
        seen = self.__dict__.setdefault("paths", set())
        if key in seen:
            return True
        seen.add(key)
        return False


class PathFingerprinter:
    def fingerprint(self, request):
        return request.url.split("?", 1)[0].encode()


@pytest.mark.parametrize("setting", [
    {"DUPEFILTER_CLASS": SeenByPath},
    {"REQUEST_FINGERPRINTER_CLASS": PathFingerprinter},
])
async def test_custom_dupefilter_and_fingerprinter(test_server_url, setting):
    crawled = []

    class Queries(ascrapy.Spider):
        name = "queries"

        async def start(self):
            for n in range(3):
                yield ascrapy.Request(f"{test_server_url}/status/200?n={n}")

        def parse(self, response):
            crawled.append(response.url)

    await crawl(Queries, setting)
    assert len(crawled) == 1


class CountingRetry(RetryMiddleware):
    """A project's subclass overriding the old _retry(request, reason, spider) hook."""

    calls: list = []

    def _retry(self, request, reason, spider):
        CountingRetry.calls.append((reason, spider.name))
        return super()._retry(request, reason, spider)


async def test_retry_middleware_subclass_hook_is_called(test_server_url):
    class Retrying(ascrapy.Spider):
        name = "retrying"
        start_urls = [f"{test_server_url}/status/503"]

    CountingRetry.calls.clear()
    crawler = await crawl(Retrying, {
        "RETRY_TIMES": 2,
        "DOWNLOADER_MIDDLEWARES": {
            "ascrapy.middleware.downloader.retry.RetryMiddleware": None,
            CountingRetry: 550,
        },
    })
    assert [name for _, name in CountingRetry.calls] == ["retrying"] * 3
    assert crawler.stats.get_value("retry/count") == 2


def test_crawler_process_runs_several_spiders_in_one_process(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent('''
        import json, sys
        import ascrapy
        from ascrapy.crawler import CrawlerProcess

        base = sys.argv[1]

        class First(ascrapy.Spider):
            name = "first"
            start_urls = [base + "/page/1"]
            def parse(self, response):
                yield {"spider": self.name}

        class Second(First):
            name = "second"
            start_urls = [base + "/page/2"]

        process = CrawlerProcess({"LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": False,
                                  "FEEDS": {sys.argv[2]: {"format": "jsonlines"}}})
        process.crawl(First)
        process.crawl(Second)
        process.start()
    '''))
    output = tmp_path / "out-%(name)s.jsonl"
    with serve_app_in_thread(make_link_site(5, 2)) as base:
        done = subprocess.run([sys.executable, str(script), base, str(output)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out-first.jsonl").read_text().strip() == '{"spider": "first"}'
    assert (tmp_path / "out-second.jsonl").read_text().strip() == '{"spider": "second"}'
    assert done.stderr.count("Spider closed (finished)") == 2


def test_a_plugins_test_helper_builds_the_engine_as_on_scrapy() -> None:
    """scrapy-poet's test utilities set a crawler up this way, outside any crawl."""
    from ascrapy.crawler import Crawler

    crawler = Crawler(ascrapy.Spider, {"ITEM_PIPELINES": {}})
    crawler.spider = crawler._create_spider(name="helper")
    crawler._apply_settings()
    engine = crawler._create_engine()
    assert engine.crawler is crawler
    assert engine.downloader.middleware.middlewares  # the downloader middlewares are built
