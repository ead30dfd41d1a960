import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request, Response
from ascrapy.middleware.spider.base import BaseSpiderMiddleware

from .mw_helpers import as_async, build, collect


class DropAndReplace(BaseSpiderMiddleware):
    def get_processed_request(self, request, response):
        if request.url == "data:,drop":
            return None
        if request.url == "data:,swap":
            return Request("data:,swapped")
        return request

    def get_processed_item(self, item, response):
        if item["n"] == 2:
            return None
        return {"n": item["n"] * 10, "from_response": response is not None}


OUTPUT = [Request("data:,keep"), {"n": 1}, Request("data:,drop"), {"n": 2}, Request("data:,swap")]


def summary(objects):
    return [obj.url if isinstance(obj, Request) else obj for obj in objects]


EXPECTED = ["data:,keep", {"n": 10, "from_response": True}, "data:,swapped"]


async def test_trivial_subclass_passes_everything():
    mw, crawler = build(type("Trivial", (BaseSpiderMiddleware,), {}))
    assert mw.crawler is crawler
    assert list(mw.process_spider_output(Response("data:,"), OUTPUT)) == OUTPUT
    assert await collect(mw.process_start(as_async(OUTPUT))) == OUTPUT


async def test_hooks_apply_to_sync_and_async_output():
    mw, _ = build(DropAndReplace)
    response = Response("data:,")
    assert summary(mw.process_spider_output(response, OUTPUT)) == EXPECTED
    assert summary(await collect(mw.process_spider_output_async(response, as_async(OUTPUT)))) == EXPECTED


async def test_start_gets_no_response():
    mw, _ = build(DropAndReplace)
    start = summary(await collect(mw.process_start(as_async(OUTPUT))))
    assert start == ["data:,keep", {"n": 10, "from_response": False}, "data:,swapped"]


def test_spider_argument_warns_at_call_time():
    mw, crawler = build(DropAndReplace)
    with pytest.warns(ScrapyDeprecationWarning, match=r"DropAndReplace\.process_spider_output\(\)"):
        mw.process_spider_output(Response("data:,"), [], crawler.spider)


def test_async_variants_are_async_generator_functions():
    # Middleware managers pick the async path by inspecting these methods.
    import inspect

    from ascrapy.middleware.spider.depth import DepthMiddleware
    from ascrapy.middleware.spider.referer import RefererMiddleware

    for cls in (BaseSpiderMiddleware, DepthMiddleware, RefererMiddleware):
        assert inspect.isasyncgenfunction(cls.process_spider_output_async)
        assert inspect.isasyncgenfunction(cls.process_start)
