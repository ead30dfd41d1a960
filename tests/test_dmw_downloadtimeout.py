import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request
from ascrapy.middleware.downloader.downloadtimeout import DownloadTimeoutMiddleware
from ascrapy.spiders import Spider

from .mw_helpers import build, get_crawler, open_spider


@pytest.mark.parametrize(("setting", "expected"), [(None, 180), ("20.1", 20.1), (2, 2), (0, None)])
def test_timeout_from_setting(setting, expected):
    settings = {} if setting is None else {"DOWNLOAD_TIMEOUT": setting}
    mw, crawler = build(DownloadTimeoutMiddleware, settings)
    open_spider(crawler)
    request = Request("http://example.com/")
    assert mw.process_request(request) is None
    assert request.meta.get("download_timeout") == expected


def test_meta_value_wins():
    mw, _ = build(DownloadTimeoutMiddleware, {"DOWNLOAD_TIMEOUT": 2})
    request = Request("http://example.com/", meta={"download_timeout": 1})
    mw.process_request(request)
    assert request.meta["download_timeout"] == 1


def test_deprecated_spider_attribute():
    class SlowSpider(Spider):
        name = "slow"
        download_timeout = 7

    crawler = get_crawler(spidercls=SlowSpider)
    mw = DownloadTimeoutMiddleware.from_crawler(crawler)
    with pytest.warns(ScrapyDeprecationWarning, match="'download_timeout' spider attribute"):
        open_spider(crawler)
    request = Request("http://example.com/")
    mw.process_request(request)
    assert request.meta["download_timeout"] == 7
