"""Crawls through the frontier's seams: any Scrapy scheduler, and politeness for every
download (the crawl's, robots.txt's, the media pipelines'), measured by the server."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import ClassVar

import pytest
from aiohttp import web

import ascrapy
from ascrapy.engine.frontier import Frontier
from ascrapy.engine.scheduler import BaseScheduler
from ascrapy.engine.scheduler_adapter import SchedulerFrontier, build_frontier
from ascrapy.fingerprint import fingerprint
from ascrapy.squeues import FifoMemoryQueue
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl
from .media_helpers import MediaSpider
from .link_spider import Pages
from .sites import make_link_site


@dataclasses.dataclass
class Load:
    """What the server saw: requests in flight at once, and when each path arrived."""

    in_flight: int = 0
    most: int = 0
    arrivals: dict[str, float] = dataclasses.field(default_factory=dict)


LOAD = web.AppKey("load", Load)


def measured(app: web.Application, pause: float = 0.02) -> web.Application:
    """``app`` with a middleware that counts concurrent requests (each held ``pause`` s)."""
    load = app[LOAD] = Load()

    @web.middleware
    async def count(request: web.Request, handler):  # type: ignore[no-untyped-def]
        load.arrivals.setdefault(request.path, asyncio.get_running_loop().time())
        load.in_flight += 1
        load.most = max(load.most, load.in_flight)
        try:
            await asyncio.sleep(pause)
            return await handler(request)
        finally:
            load.in_flight -= 1

    app.middlewares.append(count)
    return app




class DictScheduler:
    """A scheduler with Scrapy's minimal API and nothing else (not even a base class)."""

    def __init__(self) -> None:
        self.requests: dict[bytes, ascrapy.Request] = {}
        self.seen: set[bytes] = set()

    def has_pending_requests(self) -> bool:
        return bool(self.requests)

    def enqueue_request(self, request: ascrapy.Request) -> bool:
        key = fingerprint(request)
        if key in self.seen:
            return False
        self.seen.add(key)
        self.requests[key] = request
        return True

    def next_request(self) -> ascrapy.Request | None:
        return self.requests.popitem()[1] if self.requests else None


class CountingScheduler(DictScheduler, BaseScheduler):
    opened: ClassVar[list[str]] = []

    def __init__(self) -> None:
        DictScheduler.__init__(self)

    def open(self, spider):
        self.opened.append(f"open {spider.name}")

    def close(self, reason):
        self.opened.append(f"close {reason}")


@pytest.mark.parametrize("scheduler", [DictScheduler, CountingScheduler])
async def test_a_scheduler_of_scrapys_api_crawls_a_site_within_the_slot_limits(aiohttp_server, scheduler):
    server = await aiohttp_server(measured(make_link_site(40, 4)))
    crawler = await crawl(Pages, {"SCHEDULER": scheduler, "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
                                  "CONCURRENT_REQUESTS": 8}, start_urls=[str(server.make_url("/"))])
    assert crawler.stats.get_value("item_scraped_count") == 40
    assert crawler.stats.get_value("finish_reason") == "finished"
    assert server.app[LOAD].most == 2
    if scheduler is CountingScheduler:
        assert CountingScheduler.opened == ["open pages", "close finished"]


def test_the_default_scheduler_runs_as_the_frontier_and_others_as_they_are():
    assert type(build_frontier(get_crawler())) is Frontier
    custom = build_frontier(get_crawler(settings_dict={"SCHEDULER_MEMORY_QUEUE": type("Mine", (FifoMemoryQueue,), {})}))
    assert type(custom) is SchedulerFrontier  # a queue class of its own: Scrapy's Scheduler runs it
    assert type(build_frontier(get_crawler(settings_dict={"SCHEDULER": DictScheduler}))) is SchedulerFrontier


def test_a_class_without_the_scheduler_interface_is_refused():
    class NotAScheduler:
        pass

    with pytest.raises(TypeError, match="does not fully implement the scheduler interface"):
        build_frontier(get_crawler(settings_dict={"SCHEDULER": NotAScheduler}))


async def test_scrapys_scheduler_with_custom_queues_crawls_through_the_slots(aiohttp_server):
    server = await aiohttp_server(measured(make_link_site(30, 3)))
    fifo = type("MyFifo", (FifoMemoryQueue,), {})
    crawler = await crawl(Pages, {"SCHEDULER_MEMORY_QUEUE": fifo, "CONCURRENT_REQUESTS_PER_DOMAIN": 3},
                          start_urls=[str(server.make_url("/"))])
    assert crawler.stats.get_value("item_scraped_count") == 30
    assert crawler.stats.get_value("scheduler/enqueued/memory") == crawler.stats.get_value("scheduler/dequeued")
    assert server.app[LOAD].most <= 3


async def test_media_downloads_keep_the_per_domain_limit(aiohttp_server, tmp_path):
    from .media_helpers import make_media_app

    server = await aiohttp_server(measured(make_media_app(), pause=0.05))
    base = str(server.make_url("")).rstrip("/")
    urls = [f"/files/report.pdf?n={n}" for n in range(20)]
    spider = type("Files", (MediaSpider,), {"items": [{"file_urls": urls}]})
    crawler = await crawl(spider, {"ITEM_PIPELINES": {"ascrapy.pipelines.files.FilesPipeline": 1},
                                   "FILES_STORE": str(tmp_path), "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
                          start_urls=[f"{base}/page"])
    assert crawler.stats.get_value("file_count") == 20
    assert server.app[LOAD].most == 2


async def test_the_first_page_waits_the_download_delay_after_robots_txt(aiohttp_server):
    async def robots(request: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nDisallow: /private\n")

    app = make_link_site(3, 1)
    app.router.add_get("/robots.txt", robots)
    server = await aiohttp_server(measured(app, pause=0))
    crawler = await crawl(Pages, {"ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0.2, "DOWNLOAD_DELAY_JITTER": 0},
                          start_urls=[str(server.make_url("/"))])
    arrivals = server.app[LOAD].arrivals
    assert crawler.stats.get_value("item_scraped_count") == 3
    assert arrivals["/"] - arrivals["/robots.txt"] >= 0.2 - 0.01  # the server's clock: rounding only


def test_a_crawl_without_jobdir_imports_no_database_or_disk_queue_code():
    import subprocess
    import sys

    code = (
        "import sys; from ascrapy.utils.test import get_crawler; "
        "from ascrapy.engine.scheduler_adapter import build_frontier; build_frontier(get_crawler()); "
        "print(sorted({'sqlite3', 'queuelib', 'ascrapy.squeues'} & set(sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("path", ["scrapy.squeues.FifoMemoryQueue", "ascrapy.squeues.FifoMemoryQueue", FifoMemoryQueue])
def test_queue_classes_are_read_as_what_they_are(path):
    frontier = build_frontier(get_crawler(settings_dict={"SCHEDULER_MEMORY_QUEUE": path}))
    assert type(frontier) is Frontier and not frontier._lifo
