"""A request is acknowledged only once every item it produced has landed in every sink."""

from __future__ import annotations

import asyncio

from ascrapy.engine.frontier import Frontier
from ascrapy.exceptions import DropItem

from .crawl_helpers import crawl
from .link_spider import Pages
from .sites import make_link_site

EVENTS: list[tuple[str, str]] = []


class RecordingFrontier(Frontier):
    def ack(self, request):
        EVENTS.append(("acked", request.url))
        super().ack(request)


class SlowBatches:
    batch_size = 3
    batch_timeout = 0.05

    async def process_batch(self, items):
        await asyncio.sleep(0.01)
        EVENTS.extend(("written", item["url"]) for item in items)


class FailingBatches:
    batch_size = 5

    async def process_batch(self, items):
        raise ConnectionError("the database went away")


class DropOdd:
    def process_item(self, item):
        if int(item["url"].rsplit("/", 1)[1] or 0) % 2:
            EVENTS.append(("dropped", item["url"]))
            raise DropItem("odd page")
        return item




def position(kind: str, url: str) -> int:
    return EVENTS.index((kind, url))


async def test_a_request_is_acknowledged_after_its_item_is_written_or_dropped(aiohttp_server, tmp_path):
    EVENTS.clear()
    server = await aiohttp_server(make_link_site(30, 3))
    crawler = await crawl(Pages, {
        "SCHEDULER": RecordingFrontier,
        "ITEM_PIPELINES": {DropOdd: 100, SlowBatches: 200},
    }, start_urls=[str(server.make_url("/"))])
    assert crawler.stats.get_value("item_scraped_count") == 15
    pages = {url for kind, url in EVENTS if kind != "acked"}
    assert len(pages) == 30
    for url in pages:
        landed = position("written", url) if ("written", url) in EVENTS else position("dropped", url)
        assert landed < position("acked", url), url


async def test_items_that_could_not_be_written_are_dead_lettered_before_the_ack(aiohttp_server, tmp_path):
    EVENTS.clear()
    server = await aiohttp_server(make_link_site(10, 2))
    dead = tmp_path / "dead.jsonl"
    crawler = await crawl(Pages, {
        "SCHEDULER": RecordingFrontier, "ITEM_PIPELINES": {FailingBatches: 200},
        "BATCH_RETRY_TIMES": 0, "DEAD_LETTER_PATH": str(dead),
    }, start_urls=[str(server.make_url("/"))])
    assert crawler.stats.get_value("dead_letter_count") == 10
    assert len(dead.read_text().splitlines()) == 10
    assert sum(1 for kind, _ in EVENTS if kind == "acked") == crawler.stats.get_value("scheduler/dequeued")
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_items_that_could_not_be_dead_lettered_are_never_acknowledged(aiohttp_server):
    """With /dev/full as the dead-letter file, a failed batch lands nowhere: the pages whose
    items it held stay unacknowledged (a JOBDIR crawl would do them again) and the crawl
    stops as dead_letter_error."""
    class Failing(FailingBatches):
        async def process_batch(self, items):
            EVENTS.extend(("failed", item["url"]) for item in items)
            await super().process_batch(items)

    EVENTS.clear()
    server = await aiohttp_server(make_link_site(10, 2))
    crawler = await crawl(Pages, {
        "SCHEDULER": RecordingFrontier, "ITEM_PIPELINES": {Failing: 200},
        "BATCH_RETRY_TIMES": 0, "DEAD_LETTER_PATH": "/dev/full",
    }, start_urls=[str(server.make_url("/"))])
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "dead_letter_error"
    failed = {url for kind, url in EVENTS if kind == "failed"}
    acked = {url for kind, url in EVENTS if kind == "acked"}
    assert failed and stats["dead_letter/unwritable_items"] == len(failed)
    assert not failed & acked

async def test_the_crawl_ends_as_soon_as_the_last_items_land(aiohttp_server):
    """The batch timeout is long, but when nothing else is left the last partial batch is
    written at once: the crawl does not wait for the timeout to acknowledge its last pages."""
    server = await aiohttp_server(make_link_site(5, 2))
    slow_timeout = type("LongTimeout", (SlowBatches,), {"batch_size": 1000, "batch_timeout": 3600})
    EVENTS.clear()
    crawler = await asyncio.wait_for(crawl(Pages, {
        "SCHEDULER": RecordingFrontier, "ITEM_PIPELINES": {slow_timeout: 200},
    }, start_urls=[str(server.make_url("/"))]), timeout=60)
    assert crawler.stats.get_value("finish_reason") == "finished"
    assert sum(1 for kind, _ in EVENTS if kind == "written") == 5
