import logging

from ascrapy.http import Request, Response
from ascrapy.middleware.spider.depth import DepthMiddleware

from .mw_helpers import as_async, build, collect


def response_at(depth=None):
    meta = {} if depth is None else {"depth": depth}
    response = Response("http://example.com")
    response.request = Request("http://example.com", meta=meta)
    return response


def test_depth_counting_and_limit():
    mw, crawler = build(DepthMiddleware, {"DEPTH_LIMIT": 1, "DEPTH_STATS_VERBOSE": True})
    response = response_at()
    out = list(mw.process_spider_output(response, [Request("http://example.com/1")]))
    assert out[0].meta["depth"] == 1
    assert response.meta["depth"] == 0
    stats = crawler.stats
    assert stats.get_value("request_depth_count/0") == 1
    assert stats.get_value("request_depth_count/1") == 1
    assert stats.get_value("request_depth_max") == 1
    assert list(mw.process_spider_output(response_at(1), [Request("http://example.com/2")])) == []
    assert stats.get_value("depth/request_ignored_count") == 1
    assert stats.get_value("request_depth_max") == 1


def test_items_pass_and_start_requests_untouched():
    mw, crawler = build(DepthMiddleware, {"DEPTH_LIMIT": 1})
    request = Request("http://example.com", meta={"depth_reset": True})
    assert list(mw.process_spider_output(None, [request, {"a": 1}])) == [request, {"a": 1}]
    assert "depth" not in request.meta
    assert "depth_reset" not in request.meta
    assert crawler.stats.get_value("request_depth_max") is None


def test_depth_reset():
    mw, _ = build(DepthMiddleware, {"DEPTH_LIMIT": 2})
    request = Request("http://example.com", meta={"depth_reset": True})
    out = list(mw.process_spider_output(response_at(5), [request]))
    assert out == [request]
    assert request.meta["depth"] == 0
    assert "depth_reset" not in request.meta


def test_priority_adjustment_and_quiet_stats():
    mw, crawler = build(DepthMiddleware, {"DEPTH_PRIORITY": 10})
    out = list(mw.process_spider_output(response_at(2), [Request("http://example.com")]))
    assert out[0].priority == -30
    assert crawler.stats.get_value("request_depth_count/3") is None
    assert crawler.stats.get_value("request_depth_max") == 3


async def test_async_output():
    mw, _ = build(DepthMiddleware, {"DEPTH_LIMIT": 1})
    out = await collect(mw.process_spider_output_async(response_at(0), as_async([Request("http://example.com")])))
    assert out[0].meta["depth"] == 1
    assert await collect(mw.process_spider_output_async(response_at(1), as_async([Request("http://x")]))) == []


def test_ignored_logged_once(caplog):
    mw, crawler = build(DepthMiddleware, {"DEPTH_LIMIT": 1})
    requests = [Request(f"http://example.com/{i}") for i in range(3)]
    with caplog.at_level(logging.DEBUG, logger="scrapy.spidermiddlewares.depth"):
        assert list(mw.process_spider_output(response_at(1), requests)) == []
    assert caplog.messages == [
        "Ignoring link (depth > 1): http://example.com/0 - no more ignored links will be shown"
    ]
    assert crawler.stats.get_value("depth/request_ignored_count") == 3


def test_depth_max_follows_the_deepest_kept_request_across_responses():
    mw, crawler = build(DepthMiddleware, {"DEPTH_LIMIT": 4})
    for depth in (2, 0, 3, 1, 4, 3):
        requests = [Request(f"http://example.com/{depth}/{n}") for n in range(3)]
        kept = list(mw.process_spider_output(response_at(depth), requests))
        assert [r.meta["depth"] for r in kept] == ([depth + 1] * 3 if depth < 4 else [])
    reset = Request("http://example.com/reset", meta={"depth_reset": True})
    assert list(mw.process_spider_output(response_at(2), [reset])) == [reset]
    assert crawler.stats.get_value("request_depth_max") == 4
    assert crawler.stats.get_value("depth/request_ignored_count") == 3
