"""Lineage: an origin (an outside job, such as a Kafka message) is finished only when every
request it led to is acknowledged, which is after their items have landed in the sinks."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

import ascrapy
from ascrapy.engine.acks import current_request
from ascrapy.engine.lineage import LINEAGE_KEY, Origin, OriginTracker
from ascrapy.http import Request

from .crawl_helpers import crawl

LEAVES = 3


def tree_site() -> web.Application:
    """/tree/N links to its leaves /leaf/N/0..2; /redirect/N sends to /tree/N."""

    async def tree(request: web.Request) -> web.Response:
        number = request.match_info["number"]
        links = "".join(f'<a href="/leaf/{number}/{leaf}">{leaf}</a>' for leaf in range(LEAVES))
        return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")

    async def leaf(request: web.Request) -> web.Response:
        return web.Response(text="<html><body><p>leaf</p></body></html>", content_type="text/html")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"/tree/{request.match_info['number']}")

    app = web.Application()
    app.router.add_get("/tree/{number}", tree)
    app.router.add_get("/leaf/{number}/{leaf}", leaf)
    app.router.add_get("/redirect/{number}", redirect)
    app.router.add_get("/plain", leaf)
    app.router.add_get("/plain-child", leaf)
    return app


class RecordingSink:
    """A batch pipeline that keeps what it wrote, in batches that wait a little to fill."""

    written: list[str] = []
    batch_size = 1000
    batch_timeout = 0.3

    async def process_batch(self, items: list[dict[str, Any]]) -> None:
        RecordingSink.written.extend(item["url"] for item in items)


class TreeSpider(ascrapy.Spider):
    """Each job is one start URL; the tree pages' leaves yield the items."""

    name = "tree"
    jobs: list[str] = []
    done: dict[str, list[str]] = {}  # job -> what the sink had written when the job finished
    tracker: OriginTracker[str]

    async def start(self):
        self.tracker = OriginTracker()
        self.crawler.engine.frontier.follow(self.tracker)
        for path in self.jobs:
            origin = self.tracker.begin(path, self.finished)
            request = Request(self.base + path, callback=self.parse_tree)
            self.tracker.stamp(request, origin)
            try:
                yield request
            finally:
                origin.release()
        # A request of no job whose child copies a job's token: the child must not count.
        yield Request(self.base + "/plain", callback=self.parse_plain, meta={"token": self.first_token})

    def finished(self, origin: Origin[str]) -> None:
        TreeSpider.done[str(origin.job)] = list(RecordingSink.written)

    @property
    def first_token(self) -> str:
        return f"{self.tracker._run}.0"

    def parse_tree(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_leaf)

    def parse_leaf(self, response):
        yield {"url": response.url}

    def parse_plain(self, response):
        yield Request(self.base + "/plain-child", callback=self.parse_leaf,
                      meta={LINEAGE_KEY: response.meta["token"]})


@pytest.mark.parametrize("store", ["memory", "jobdir"])
async def test_a_job_is_done_once_every_item_of_its_tree_has_landed(aiohttp_server, tmp_path, store):
    server = await aiohttp_server(tree_site())
    base = str(server.make_url("")).rstrip("/")
    RecordingSink.written = []
    TreeSpider.done = {}
    # The same tree twice: the second job's request is a duplicate, so it never opens.
    TreeSpider.jobs = ["/tree/0", "/redirect/1", "/tree/0"]
    settings: dict[str, Any] = {"ITEM_PIPELINES": {RecordingSink: 300}, "CONCURRENT_REQUESTS": 4}
    if store == "jobdir":  # a budget of 1: requests wait on disk, their tokens with them
        settings |= {"JOBDIR": str(tmp_path / "job"), "SCHEDULER_MEMORY_BUDGET": 1}
    crawler = await crawl(TreeSpider, settings, base=base)

    assert crawler.stats.get_value("finish_reason") == "finished"
    if store == "jobdir":
        assert crawler.stats.get_value("scheduler/enqueued/disk")
    leaves = {n: {f"{base}/leaf/{n}/{leaf}" for leaf in range(LEAVES)} for n in (0, 1)}
    assert set(RecordingSink.written) == leaves[0] | leaves[1] | {f"{base}/plain-child"}
    # Each job finished after its leaves' items were written, including the redirected one.
    assert set(TreeSpider.done) == {"/tree/0", "/redirect/1"}
    assert leaves[0] <= set(TreeSpider.done["/tree/0"])
    assert leaves[1] <= set(TreeSpider.done["/redirect/1"])
    assert len(crawler.spider.tracker) == 0  # the duplicate job finished too (it never opened)


def test_a_request_pushed_while_another_is_worked_on_joins_its_origin():
    tracker = OriginTracker()
    finished: list[object] = []
    origin = tracker.begin("job", lambda o: finished.append(o.job))
    root = Request("http://example.com/")
    tracker.stamp(root, origin)
    tracker.opened(root)
    origin.release()
    child = Request("http://example.com/child")
    working_on = current_request.set(root)
    try:
        tracker.opened(child)
    finally:
        current_request.reset(working_on)
    assert child.meta[LINEAGE_KEY] == origin.token
    tracker.closed(root)
    assert finished == []  # the child is still open
    tracker.closed(child)
    assert finished == ["job"]
    assert len(tracker) == 0
    tracker.closed(child)  # acknowledged again (a bug elsewhere): the finished origin is not touched
    assert finished == ["job"]
