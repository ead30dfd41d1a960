from ascrapy.http import Request, Response
from ascrapy.middleware.spider.start import StartSpiderMiddleware

from .mw_helpers import as_async, build, collect


async def test_start_requests_marked_unless_set():
    mw, _ = build(StartSpiderMiddleware)
    start = [Request("data:,1"), Request("data:,2", meta={"is_start_request": False}), {"item": 1}]
    out = await collect(mw.process_start(as_async(start)))
    assert [o.meta["is_start_request"] for o in out[:2]] == [True, False]
    assert out[2] == {"item": 1}


async def test_callback_requests_not_marked():
    mw, _ = build(StartSpiderMiddleware)
    request = Request("data:,1")
    assert list(mw.process_spider_output(Response("data:,"), [request])) == [request]
    assert await collect(mw.process_spider_output_async(Response("data:,"), as_async([request]))) == [request]
    assert "is_start_request" not in request.meta
