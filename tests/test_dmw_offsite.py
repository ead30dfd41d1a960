import logging

import pytest

from ascrapy import signals
from ascrapy.exceptions import IgnoreRequest
from ascrapy.http import Request
from ascrapy.middleware.downloader.offsite import OffsiteMiddleware

from .mw_helpers import build, open_spider


def make(allowed_domains=None):
    kwargs = {} if allowed_domains is None else {"allowed_domains": allowed_domains}
    mw, crawler = build(OffsiteMiddleware, **kwargs)
    open_spider(crawler)
    return mw, crawler


@pytest.mark.parametrize(
    ("allowed", "url", "follows"),
    [
        ("example.com", "http://example.com/1", True),
        ("example.com", "http://sub.example.com/1", True),
        ("example.com", "http://example.com:8000/1", True),
        ("example.com", "http://example.org/example.com", False),
        ("example.com", "http://example.com.evil", False),
        ("sub.example.com", "http://example.com/1", False),
        ("a.example", "http://nota.example", False),
    ],
)
def test_domain_and_subdomains_follow(allowed, url, follows):
    mw, _ = make([allowed])
    if follows:
        assert mw.process_request(Request(url)) is None
    else:
        with pytest.raises(IgnoreRequest, match="Filtered offsite request to"):
            mw.process_request(Request(url))


@pytest.mark.parametrize("allowed_domains", [None, []])
def test_no_allowed_domains_follows_everything(allowed_domains):
    mw, _ = make(allowed_domains)
    assert mw.process_request(Request("https://anything.example/")) is None


def test_dont_filter_and_allow_offsite_pass():
    mw, _ = make(["a.example"])
    assert mw.process_request(Request("https://b.example", dont_filter=True)) is None
    assert mw.process_request(Request("https://b.example", meta={"allow_offsite": True})) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://b.example", meta={"allow_offsite": False}))


def test_none_domains_are_skipped():
    mw, _ = make(["a.example", None])
    assert mw.process_request(Request("https://a.example")) is None


def test_stats_and_log_once_per_domain(caplog):
    mw, crawler = make(["example.com"])
    with caplog.at_level(logging.DEBUG, logger="scrapy.downloadermiddlewares.offsite"):
        for path in ("1", "2"):
            with pytest.raises(IgnoreRequest):
                mw.process_request(Request(f"http://other.org/{path}"))
    assert crawler.stats.get_value("offsite/domains") == 1
    assert crawler.stats.get_value("offsite/filtered") == 2
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["Filtered offsite request to 'other.org': <GET http://other.org/1>"]


def test_request_scheduled_signal_filters():
    _, crawler = make(["a.example"])
    results = crawler.signals.send_catch_log(
        signals.request_scheduled, request=Request("https://b.example"), spider=crawler.spider, dont_log=IgnoreRequest
    )
    assert isinstance(results[0][1].value, IgnoreRequest)


def test_allowed_domains_changes_are_seen():
    mw, crawler = make(["a.example"])
    crawler.spider.allowed_domains.append("b.example")
    assert mw.process_request(Request("https://b.example")) is None
    crawler.spider.allowed_domains.remove("a.example")
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://a.example"))


def test_spider_argument_warns():
    from ascrapy.exceptions import ScrapyDeprecationWarning

    mw, crawler = make(["a.example"])
    with pytest.warns(ScrapyDeprecationWarning, match="Passing a 'spider' argument"):
        mw.process_request(Request("https://a.example"), crawler.spider)


def test_allowed_domains_given_after_a_start_without_them_apply():
    mw, crawler = make()
    assert mw.process_request(Request("https://b.example")) is None
    crawler.spider.allowed_domains = ["a.example"]
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://b.example"))
    del crawler.spider.allowed_domains
    assert mw.process_request(Request("https://b.example")) is None


def test_an_overridden_policy_is_asked_even_without_allowed_domains():
    class HttpsOnly(OffsiteMiddleware):
        def should_follow(self, request, spider):
            return request.url.startswith("https://")

    mw, crawler = build(HttpsOnly)
    open_spider(crawler)
    assert mw._allowed_domains == []
    assert mw.process_request(Request("https://a.example")) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://a.example"))
