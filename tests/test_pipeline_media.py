"""MediaPipeline, the base of the files and images pipelines: the per-spider download cache,
the (success, value) results, errbacks and failure handling, through real crawls."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.failure import Failure
from ascrapy.http import Request
from ascrapy.pipelines.media import FileException, MediaPipeline
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl
from .media_helpers import FILES, HITS, MediaSpider, by_id, make_media_app, recorder


class SizePipeline(MediaPipeline):
    """Reports the body size of each URL in ``item['urls']``; keeps the results on the item."""

    def get_media_requests(self, item, info):
        return [Request(url) for url in item.get("urls", [])]

    def media_to_download(self, request, info, *, item=None):
        return None

    def media_downloaded(self, response, request, info, *, item=None):
        if response.status != 200:
            raise FileException(f"status {response.status}")
        return {"url": response.url, "size": len(response.body)}

    def media_failed(self, failure, request, info):
        failure.raiseException()

    def file_path(self, request, response=None, info=None, *, item=None):
        return ""

    def item_completed(self, results, item, info):
        item["results"] = results
        return super().item_completed(results, item, info)


@pytest.fixture
async def site(aiohttp_server):
    server = await aiohttp_server(make_media_app())
    return str(server.make_url("")).rstrip("/"), server.app[HITS]


async def crawl_media(base, items, pipeline=SizePipeline, settings=None):
    Recorder, seen = recorder()
    spider = type("Spider", (MediaSpider,), {"items": items})
    crawler = await crawl(spider, {"ITEM_PIPELINES": {pipeline: 1, Recorder: 900}, **(settings or {})},
                          start_urls=[f"{base}/page"])
    return crawler, seen


async def test_results_are_success_and_failure_pairs_in_request_order(site, caplog):
    base, _ = site
    with caplog.at_level(logging.ERROR, logger="scrapy.pipelines.media"):
        crawler, seen = await crawl_media(base, [{"id": 1, "urls": ["/files/data.csv", "/missing/a"]}])
    [item] = seen
    (ok, info), (failed_ok, failure) = item["results"]
    assert (ok, info) == (True, {"url": f"{base}/files/data.csv", "size": len(FILES["data.csv"])})
    assert failed_ok is False
    assert isinstance(failure, Failure) and isinstance(failure.value, FileException)
    assert str(failure.value) == "status 404"
    assert crawler.stats.get_value("item_scraped_count") == 1
    [record] = [r for r in caplog.records if "found errors processing" in r.getMessage()]
    assert record.getMessage().startswith("SizePipeline found errors processing {'id': 1")
    assert record.exc_info[0] is FileException


async def test_log_failed_results_can_be_turned_off(site, caplog):
    base, _ = site

    class Quiet(SizePipeline):
        LOG_FAILED_RESULTS = False

    with caplog.at_level(logging.ERROR, logger="scrapy.pipelines.media"):
        _, seen = await crawl_media(base, [{"id": 1, "urls": ["/missing/a"]}], Quiet)
    assert seen[0]["results"][0][0] is False
    assert not [r for r in caplog.records if "found errors processing" in r.getMessage()]


async def test_shared_urls_and_failures_are_fetched_once_per_spider(site):
    base, hits = site
    urls = ["/files/notes.txt?delay=0.2", "/missing/a?delay=0.1", "/files/report.pdf"]
    items = [{"id": n, "urls": urls} for n in range(5)]
    _, seen = await crawl_media(base, items, settings={"LOG_LEVEL": "CRITICAL"})
    assert (hits["/files/notes.txt"], hits["/missing/a"], hits["/files/report.pdf"]) == (1, 1, 1)
    outcomes = [[ok for ok, _ in item["results"]] for item in seen]
    assert outcomes == [[True, False, True]] * 5
    failures = {id(item["results"][1][1].value) for item in seen}
    assert len(failures) == 1  # every item sees the one cached failure


async def test_request_errback_recovers_fresh_and_cached_failures(site):
    base, _ = site
    recovered = []

    class Recovering(SizePipeline):
        def get_media_requests(self, item, info):
            def errback(failure):
                recovered.append(item["id"])
                return {"recovered": str(failure.value)}

            return [Request(url, errback=errback) for url in item["urls"]]

    items = [{"id": 1, "urls": ["/missing/a"]}, {"id": 2, "urls": ["/missing/a", "/files/data.csv"]}]
    _, seen = await crawl_media(base, items, Recovering, {"CONCURRENT_ITEMS": 1})
    results = by_id(seen)
    assert results[1]["results"] == [(True, {"recovered": "status 404"})]
    assert results[2]["results"][0] == (True, {"recovered": "status 404"})
    assert results[2]["results"][1][0] is True
    assert sorted(recovered) == [1, 2]


async def test_media_to_download_result_skips_the_download(site):
    base, hits = site

    class Known(SizePipeline):
        def media_to_download(self, request, info, *, item=None):
            return {"url": request.url, "size": -1} if "data" in request.url else None

    _, seen = await crawl_media(base, [{"id": 1, "urls": ["/files/data.csv", "/files/notes.txt"]}], Known)
    assert hits["/files/data.csv"] == 0 and hits["/files/notes.txt"] == 1
    assert seen[0]["results"][0] == (True, {"url": f"{base}/files/data.csv", "size": -1})


async def test_async_hooks_are_awaited(site):
    base, _ = site

    class Async(SizePipeline):
        async def media_to_download(self, request, info, *, item=None):
            await asyncio.sleep(0)
            return None

        async def media_downloaded(self, response, request, info, *, item=None):
            await asyncio.sleep(0)
            return {"size": len(response.body)}

    _, seen = await crawl_media(base, [{"id": 1, "urls": ["/files/report.pdf"]}], Async)
    assert seen[0]["results"] == [(True, {"size": len(FILES["report.pdf"])})]


async def test_media_failed_returning_a_failure_is_deprecated(site):
    base, _ = site

    class Returning(SizePipeline):
        LOG_FAILED_RESULTS = False

        def media_failed(self, failure, request, info):
            return failure

    with pytest.warns(ScrapyDeprecationWarning, match="media_failed returned a Failure instance"):
        _, seen = await crawl_media(base, [{"id": 1, "urls": ["/missing/a"]}], Returning,
                                    {"LOG_LEVEL": "CRITICAL"})
    [(ok, failure)] = seen[0]["results"]
    assert ok is False and str(failure.value) == "status 404"


async def test_items_without_media_pass_untouched(site):
    base, hits = site
    _, seen = await crawl_media(base, [{"id": 1}, {"id": 2, "urls": []}])
    assert [item["results"] for item in seen] == [[], []]
    assert not hits


# -- the pipeline without a crawl: stand-in engines make timing exact ---------------------


class GatedEngine:
    """Downloads nothing until ``gate`` is set; counts the downloads it was asked for."""

    def __init__(self):
        self.gate = asyncio.Event()
        self.calls = 0

    async def download_async(self, request):
        self.calls += 1
        await self.gate.wait()
        raise ConnectionError("gone")


def opened(pipeline_cls=SizePipeline, **settings):
    crawler = get_crawler(None, settings)
    pipeline = build_from_crawler(pipeline_cls, crawler)
    pipeline.open_spider()
    return pipeline, crawler


async def test_cancelled_download_wakes_the_items_waiting_for_it():
    pipeline, crawler = opened()
    crawler.engine = GatedEngine()
    first = asyncio.ensure_future(pipeline.process_item({"urls": ["http://example.com/f"]}))
    await asyncio.sleep(0.01)
    second = asyncio.ensure_future(pipeline.process_item({"urls": ["http://example.com/f"]}))
    await asyncio.sleep(0.01)
    assert len(pipeline.spiderinfo.waiting[next(iter(pipeline.spiderinfo.downloading))]) == 2
    first.cancel()
    item = await asyncio.wait_for(second, 1)
    [(ok, failure)] = item["results"]
    assert ok is False and isinstance(failure.value, asyncio.CancelledError)
    assert not pipeline.spiderinfo.downloading and not pipeline.spiderinfo.downloaded
    assert crawler.engine.calls == 1


async def test_cached_failures_keep_no_traceback(caplog):
    pipeline, crawler = opened()
    crawler.engine = GatedEngine()
    crawler.engine.gate.set()
    with caplog.at_level(logging.ERROR, logger="scrapy.pipelines.media"):
        await pipeline.process_item({"urls": ["http://example.com/f"]})
    [cached] = pipeline.spiderinfo.downloaded.values()
    assert isinstance(cached.value, ConnectionError)
    assert cached.tb is None and cached.value.__traceback__ is None
    # the traceback was logged once, while it still existed
    assert "Traceback" in caplog.text and "ConnectionError: gone" in caplog.text


def test_media_requests_ask_for_every_status_or_for_all_but_redirects():
    request = Request("http://example.com/f")
    opened()[0]._modify_media_request(request)
    assert request.meta == {"handle_httpstatus_all": True}

    for settings in ({"MEDIA_ALLOW_REDIRECTS": True}, {"SIZEPIPELINE_MEDIA_ALLOW_REDIRECTS": True}):
        request = Request("http://example.com/f")
        opened(**settings)[0]._modify_media_request(request)
        statuses = request.meta["handle_httpstatus_list"]
        assert all(code in statuses for code in (200, 404, 500))
        assert not any(code in statuses for code in (301, 302, 303, 307, 308))


def test_key_for_pipe():
    pipeline, crawler = opened()
    assert pipeline._key_for_pipe("IMAGES", base_class_name="MediaPipeline") == "SIZEPIPELINE_IMAGES"
    assert pipeline._key_for_pipe("IMAGES") == "IMAGES"
    assert pipeline._key_for_pipe("X", base_class_name="MediaPipeline", settings=crawler.settings) == "X"


async def test_spider_argument_is_deprecated():
    pipeline, crawler = opened()
    with pytest.warns(ScrapyDeprecationWarning, match="Passing a 'spider' argument to SizePipeline.open_spider"):
        pipeline.open_spider(object())
    with pytest.warns(ScrapyDeprecationWarning, match="SizePipeline.process_item"):
        assert (await pipeline.process_item({"id": 1}, object()))["results"] == []
