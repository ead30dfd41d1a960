import asyncio
import logging

import aiohttp
import pytest

from ascrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
    UnsupportedURLSchemeError,
)
from ascrapy.http import Request, Response
from ascrapy.middleware.downloader.retry import RetryMiddleware, get_retry_request

from .mw_helpers import build, get_crawler

LOGGER = "scrapy.downloadermiddlewares.retry"


def make(settings=None):
    return build(RetryMiddleware, settings)


def test_disabled():
    with pytest.raises(NotConfigured):
        make({"RETRY_ENABLED": False})


def test_retries_503_then_gives_up_with_stats(caplog):
    mw, crawler = make()
    request = Request("http://example.com/503")
    response = Response(request.url, status=503)
    first = mw.process_response(request, response)
    assert isinstance(first, Request)
    assert first.meta["retry_times"] == 1
    assert first.dont_filter
    assert first.priority == -1
    second = mw.process_response(first, response)
    assert second.meta["retry_times"] == 2
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert mw.process_response(second, response) is response
    stats = crawler.stats
    assert stats.get_value("retry/count") == 2
    assert stats.get_value("retry/reason_count/503 Service Unavailable") == 2
    assert stats.get_value("retry/max_reached") == 1
    assert (LOGGER, logging.ERROR, f"Gave up retrying {second} (failed 3 times): 503 Service Unavailable") in (
        caplog.record_tuples
    )


def test_other_statuses_and_dont_retry_pass_through():
    mw, _ = make()
    response = Response("http://example.com", status=404)
    assert mw.process_response(Request("http://example.com"), response) is response
    response = Response("http://example.com", status=503)
    assert mw.process_response(Request("http://example.com", meta={"dont_retry": True}), response) is response
    assert mw.process_exception(Request("http://example.com", meta={"dont_retry": True}), DownloadTimeoutError()) is None


@pytest.mark.parametrize(
    "exception",
    [
        CannotResolveHostError("x"),
        DownloadTimeoutError("x"),
        DownloadFailedError("x"),
        ConnectionResetError("x"),
        asyncio.TimeoutError(),
    ],
)
def test_default_exceptions_retried(exception):
    mw, _ = make()
    assert isinstance(mw.process_exception(Request("http://example.com"), exception), Request)


def test_unlisted_exception_not_retried_until_added():
    mw, _ = make()
    assert mw.process_exception(Request("http://example.com"), ValueError()) is None
    mw, _ = make({"RETRY_EXCEPTIONS": ["builtins.ValueError", KeyError]})
    assert isinstance(mw.process_exception(Request("http://example.com"), ValueError()), Request)
    assert isinstance(mw.process_exception(Request("http://example.com"), KeyError()), Request)


def test_exception_reason_stat_uses_scrapy_path():
    mw, crawler = make()
    mw.process_exception(Request("http://example.com"), DownloadTimeoutError())
    assert crawler.stats.get_value("retry/reason_count/scrapy.exceptions.DownloadTimeoutError") == 1


def test_max_retry_times_meta_and_setting():
    mw, _ = make({"RETRY_TIMES": 5})
    request = Request("http://example.com", meta={"max_retry_times": 1})
    retried = mw.process_exception(request, DownloadTimeoutError())
    assert isinstance(retried, Request)
    assert mw.process_exception(retried, DownloadTimeoutError()) is None
    request = Request("http://example.com")
    for _ in range(5):
        request = mw.process_exception(request, DownloadTimeoutError())
        assert isinstance(request, Request)
    assert mw.process_exception(request, DownloadTimeoutError()) is None


def test_give_up_log_level_meta(caplog):
    mw, _ = make({"RETRY_TIMES": 0})
    request = Request("http://example.com", meta={"give_up_log_level": "WARNING"})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        mw.process_response(request, Response(request.url, status=500))
    assert caplog.records[0].levelno == logging.WARNING


def test_old_style_retry_override_gets_spider():
    seen = []

    class OldRetry(RetryMiddleware):
        def _retry(self, request, reason, spider):
            seen.append(spider)
            return super()._retry(request, reason, spider)

    mw, crawler = build(OldRetry)
    assert isinstance(mw.process_exception(Request("http://example.com"), DownloadTimeoutError()), Request)
    assert seen == [crawler.spider]


def test_new_style_retry_override():
    class NewRetry(RetryMiddleware):
        def _retry(self, request, reason):
            return None

    mw, _ = build(NewRetry)
    response = Response("http://example.com", status=503)
    assert mw.process_response(Request("http://example.com"), response) is response


class TestGetRetryRequest:
    def test_basic(self, caplog):
        crawler = get_crawler()
        request = Request("https://example.com")
        with caplog.at_level(logging.DEBUG, logger=LOGGER):
            new = get_retry_request(request, spider=crawler.spider)
        assert new is not None and new is not request
        assert new.meta["retry_times"] == 1
        assert crawler.stats.get_value("retry/reason_count/unspecified") == 1
        assert caplog.record_tuples == [(LOGGER, logging.DEBUG, f"Retrying {request} (failed 1 times): unspecified")]
        assert caplog.records[0].spider is crawler.spider

    @pytest.mark.parametrize(
        ("reason", "name"),
        [
            (NotImplementedError(), "builtins.NotImplementedError"),
            (NotImplementedError, "builtins.NotImplementedError"),
            (IgnoreRequest, "scrapy.exceptions.IgnoreRequest"),
            ("because", "because"),
        ],
    )
    def test_reason_names(self, reason, name):
        crawler = get_crawler()
        get_retry_request(Request("https://example.com"), spider=crawler.spider, reason=reason)
        assert crawler.stats.get_value(f"retry/reason_count/{name}") == 1

    def test_arguments_override_settings(self):
        crawler = get_crawler({"RETRY_TIMES": 5, "RETRY_PRIORITY_ADJUST": 3})
        request = Request("https://example.com", meta={"max_retry_times": 5})
        assert get_retry_request(request, spider=crawler.spider, max_retry_times=0) is None
        new = get_retry_request(Request("https://example.com"), spider=crawler.spider, priority_adjust=1)
        assert new.priority == 1
        assert get_retry_request(Request("https://example.com"), spider=crawler.spider).priority == 3

    def test_custom_stats_key_and_logger(self, caplog):
        crawler = get_crawler()
        logger = logging.getLogger("custom-logger")
        with caplog.at_level(logging.DEBUG, logger="custom-logger"):
            get_retry_request(
                Request("https://example.com"), spider=crawler.spider, stats_base_key="mine", logger=logger
            )
        assert crawler.stats.get_value("mine/count") == 1
        assert caplog.records[0].name == "custom-logger"

    def test_invalid_give_up_level(self):
        crawler = get_crawler()
        with pytest.raises(ValueError, match="Invalid give-up log level"):
            get_retry_request(
                Request("https://example.com"), spider=crawler.spider, max_retry_times=0, give_up_log_level="NOPE"
            )

    def test_spider_required(self):
        with pytest.raises(TypeError):
            get_retry_request(Request("https://example.com"))


def test_aiohttp_connection_errors_retried_when_listed():
    # The default list the lead is asked to add to settings/defaults.py.
    mw, _ = make(
        {"RETRY_EXCEPTIONS": ["aiohttp.ClientConnectionError", "aiohttp.ClientPayloadError", "asyncio.TimeoutError"]}
    )
    for error in (aiohttp.ServerDisconnectedError(), aiohttp.ClientPayloadError("cut"), asyncio.TimeoutError()):
        assert isinstance(mw.process_exception(Request("http://example.com"), error), Request)


@pytest.mark.parametrize(
    "exception",
    [
        DownloadCancelledError("over DOWNLOAD_MAXSIZE"),
        UnsupportedURLSchemeError("Unsupported URL scheme 'gopher'"),
        ValueError("Invalid URL http://: it has no host name"),
    ],
)
def test_hopeless_download_errors_fail_at_once_and_say_so(exception, caplog):
    mw, crawler = make()
    request = Request("http://example.com")
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert mw.process_exception(request, exception) is None
    assert crawler.stats.get_value("retry/count") is None
    reason = f"{type(exception).__module__}.{type(exception).__name__}".replace("ascrapy.", "scrapy.")
    assert (LOGGER, logging.DEBUG, f"Not retrying {request}: {reason} is not a transient error (RETRY_EXCEPTIONS)") in (
        caplog.record_tuples
    )


def test_ignored_requests_are_not_reported_as_errors(caplog):
    mw, _ = make()
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert mw.process_exception(Request("http://example.com"), IgnoreRequest()) is None
    assert not caplog.records
