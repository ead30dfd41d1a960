import logging

import pytest

from ascrapy.exceptions import IgnoreRequest
from ascrapy.http import Request, Response
from ascrapy.middleware.spider.httperror import HttpError, HttpErrorMiddleware

from .mw_helpers import build


def response(status, **meta):
    request = Request("http://scrapytest.org", meta=meta)
    return Response(request.url, status=status, request=request)


def test_non_2xx_filtered():
    mw, _ = build(HttpErrorMiddleware)
    assert mw.process_spider_input(response(200)) is None
    assert mw.process_spider_input(response(204)) is None
    with pytest.raises(HttpError) as info:
        mw.process_spider_input(response(404))
    assert isinstance(info.value, IgnoreRequest)
    assert info.value.response.status == 404


def test_allowed_by_meta_spider_and_settings():
    mw, crawler = build(HttpErrorMiddleware, {"HTTPERROR_ALLOWED_CODES": [402]})
    mw.process_spider_input(response(402))
    mw.process_spider_input(response(404, handle_httpstatus_list=[404]))
    mw.process_spider_input(response(500, handle_httpstatus_all=True))
    with pytest.raises(HttpError):
        mw.process_spider_input(response(402, handle_httpstatus_list=[404]))
    crawler.spider.handle_httpstatus_list = [404]
    mw.process_spider_input(response(404))
    with pytest.raises(HttpError):
        mw.process_spider_input(response(402))


def test_allow_all_setting_yields_to_meta_list():
    mw, _ = build(HttpErrorMiddleware, {"HTTPERROR_ALLOW_ALL": True})
    mw.process_spider_input(response(404))
    with pytest.raises(HttpError):
        mw.process_spider_input(response(402, handle_httpstatus_list=[404]))
    mw2, _ = build(HttpErrorMiddleware)
    with pytest.raises(HttpError):
        mw2.process_spider_input(response(404, handle_httpstatus_all=False))


def test_exception_handling_stats_and_log(caplog):
    mw, crawler = build(HttpErrorMiddleware)
    res = response(404)
    with caplog.at_level(logging.INFO, logger="scrapy.spidermiddlewares.httperror"):
        assert mw.process_spider_exception(res, HttpError(res)) == ()
    assert mw.process_spider_exception(res, ValueError()) is None
    assert crawler.stats.get_value("httperror/response_ignored_count") == 1
    assert crawler.stats.get_value("httperror/response_ignored_status_count/404") == 1
    assert caplog.messages == [
        "Ignoring response <404 http://scrapytest.org>: HTTP status code is not handled or not allowed"
    ]
