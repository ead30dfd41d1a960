"""Crawling the hostile app (tests/sites/hostile.py) and recording what became of each URL."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import ascrapy
from ascrapy import signals
from ascrapy.crawler import Crawler
from ascrapy.failure import Failure
from ascrapy.settings import Settings
from tests.crawl_helpers import TEST_SETTINGS
from tests.sites.hostile import HITS, SENT


class Hostile:
    """The hostile app served in the test's loop: its URLs, and what it saw."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def url(self, path_qs: str) -> str:
        return f"http://127.0.0.1:{self.server.port}{path_qs}"

    def hits(self, path_qs: str) -> int:
        """How many requests reached ``path_qs`` (path and query, as requested)."""
        return self.server.app[HITS][path_qs]

    def sent(self, path_qs: str) -> int:
        """Body bytes an endless handler wrote for ``path_qs``."""
        return self.server.app[SENT][path_qs]


@dataclass
class Outcomes:
    """Per URL: the response the callback got or the failure the errback got, and the body
    bytes the downloader received (from bytes_received)."""

    crawler: Crawler
    responses: dict[str, ascrapy.http.Response] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    received: Counter[str] = field(default_factory=Counter)

    @property
    def stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats()

    def failure(self, url: str) -> BaseException:
        assert url in self.failures, f"{url} did not fail: {self.responses.get(url)}"
        return self.failures[url].value


async def fetch_each(urls: list[str], control: str, settings: dict[str, Any] | None = None,
                     callback: Any = None) -> Outcomes:
    """Request every URL of ``urls`` and ``control`` (a healthy page) once; the crawl must end
    as ``finished`` with the control page downloaded: one bad URL does not stop the others."""
    outcomes: Outcomes

    class Probe(ascrapy.Spider):
        name = "probe"

        async def start(self):
            for url in [*urls, control]:
                yield ascrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

        def parse(self, response):
            outcomes.responses[response.request.meta.get("redirect_urls", [response.url])[0]] = response
            if callback is not None:
                return callback(response)
            return None

        def failed(self, failure):
            outcomes.failures[failure.request.meta.get("redirect_urls", [failure.request.url])[0]] = failure

    def received(data: bytes, request: Any, spider: Any) -> None:
        outcomes.received[request.url] += len(data)

    crawler = Crawler(Probe, Settings({**TEST_SETTINGS, **(settings or {})}))
    outcomes = Outcomes(crawler)
    crawler.signals.connect(received, signal=signals.bytes_received)
    await crawler.crawl()
    assert outcomes.stats["finish_reason"] == "finished"
    assert outcomes.responses[control].status == 200, "the crawl did not go on past the bad URLs"
    return outcomes
