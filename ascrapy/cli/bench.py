"""``bench``: a quick benchmark, Scrapy's workload: follow every link of a local endless site.

The site (ascrapy.utils.benchserver) runs in a subprocess on a free 127.0.0.1 port; the
crawl stops after CLOSESPIDER_TIMEOUT seconds, and LogStats reports the pages crawled
every LOGSTATS_INTERVAL second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import urlencode

from ascrapy.cli.base import ScrapyCommand
from ascrapy.http import Request, Response
from ascrapy.linkextractors import LinkExtractor
from ascrapy.spiders import Spider

BENCH_SERVER_BANNER = "Bench server at "


class Command(ScrapyCommand):
    default_settings: ClassVar[dict[str, Any]] = {
        "LOG_LEVEL": "INFO",
        "LOGSTATS_INTERVAL": 1,
        "CLOSESPIDER_TIMEOUT": 10,
    }

    def short_desc(self) -> str:
        return "Run quick benchmark test"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with _BenchServer() as base_url:
            self._crawl_and_start(_BenchSpider, total=100000, baseurl=base_url)


class _BenchServer:
    """The bench site in a child process; entering gives its base URL, leaving stops it."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        from ascrapy.utils.test import (
            get_testenv,  # it imports asyncio: only when benchmarking
        )

        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "ascrapy.utils.benchserver"],
            stdout=subprocess.PIPE,
            text=True,
            env=get_testenv(),
        )
        assert self.process.stdout is not None
        banner = self.process.stdout.readline().strip()
        if not banner.startswith(BENCH_SERVER_BANNER):
            self._stop()
            raise RuntimeError(f"the bench server did not start (it said {banner!r})")
        return banner[len(BENCH_SERVER_BANNER):]

    def __exit__(self, *exc_info: object) -> None:
        self._stop()

    def _stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


class _BenchSpider(Spider):
    """Follows every link it finds."""

    name = "follow"
    total = 10000
    show = 20
    baseurl = "http://127.0.0.1:8998"
    link_extractor = LinkExtractor()

    async def start(self) -> AsyncIterator[Any]:
        query = urlencode({"total": self.total, "show": self.show})
        yield Request(f"{self.baseurl}/?{query}", dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Any:
        for link in self.link_extractor.extract_links(response):
            yield Request(link.url, callback=self.parse)
