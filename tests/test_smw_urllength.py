import logging

import pytest

from ascrapy.exceptions import NotConfigured
from ascrapy.http import Request, Response
from ascrapy.middleware.spider.urllength import UrlLengthMiddleware

from .mw_helpers import as_async, build, collect


def test_not_configured_without_limit():
    with pytest.raises(NotConfigured):
        build(UrlLengthMiddleware, {"URLLENGTH_LIMIT": 0})


async def test_long_urls_dropped_and_counted(caplog):
    mw, crawler = build(UrlLengthMiddleware, {"URLLENGTH_LIMIT": 25})
    short = Request("http://scrapytest.org/")
    long = Request("http://scrapytest.org/this_is_a_long_url")
    response = Response("http://scrapytest.org")
    with caplog.at_level(logging.INFO, logger="scrapy.spidermiddlewares.urllength"):
        assert list(mw.process_spider_output(response, [short, long, {"item": 1}])) == [short, {"item": 1}]
    assert crawler.stats.get_value("urllength/request_ignored_count") == 1
    assert caplog.messages == [f"Ignoring link (url length > 25): {long.url} "]
    assert await collect(mw.process_start(as_async([long, short]))) == [short]
