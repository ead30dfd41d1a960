import pytest

from ascrapy.exceptions import DownloadTimeoutError, NotConfigured
from ascrapy.http import Request, Response
from ascrapy.middleware.downloader.stats import DownloaderStats, get_header_size

from .mw_helpers import build


class MyError(Exception):
    pass


def test_disabled():
    with pytest.raises(NotConfigured):
        build(DownloaderStats, {"DOWNLOADER_STATS": False})


def test_request_counts_and_bytes_match_raw_http():
    mw, crawler = build(DownloaderStats)
    request = Request(
        "http://example.com/a/b;p?q=1#frag",
        method="POST",
        headers={"X-One": "1", "X-Many": ["a", "bc"]},
        body=b"hello",
    )
    mw.process_request(request)
    raw = (
        b"POST /a/b;p?q=1 HTTP/1.1\r\n"
        b"Host: example.com\r\n"
        b"X-One: 1\r\nX-Many: a\r\nX-Many: bc\r\n"
        b"\r\n"
        b"hello"
    )
    stats = crawler.stats
    assert stats.get_value("downloader/request_count") == 1
    assert stats.get_value("downloader/request_method_count/POST") == 1
    assert stats.get_value("downloader/request_bytes") == len(raw)


def test_request_without_headers_or_path():
    mw, crawler = build(DownloaderStats)
    mw.process_request(Request("http://example.com"))
    assert crawler.stats.get_value("downloader/request_bytes") == len(b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")


def test_response_counts_and_bytes():
    mw, crawler = build(DownloaderStats)
    response = Response("http://example.com", status=404, headers={"Server": "x"}, body=b"nope")
    assert mw.process_response(Request("http://example.com"), response) is response
    stats = crawler.stats
    assert stats.get_value("downloader/response_count") == 1
    assert stats.get_value("downloader/response_status_count/404") == 1
    # "HTTP/1.1 404 Not Found\r\n" + "Server: x" + "\r\n\r\n" + body
    assert stats.get_value("downloader/response_bytes") == len(b"HTTP/1.1 404 Not Found\r\nServer: x\r\n\r\nnope")


def test_exception_counts_by_type():
    mw, crawler = build(DownloaderStats)
    request = Request("http://example.com")
    assert mw.process_exception(request, MyError()) is None
    mw.process_exception(request, DownloadTimeoutError())
    stats = crawler.stats
    assert stats.get_value("downloader/exception_count") == 2
    assert stats.get_value(f"downloader/exception_type_count/{__name__}.MyError") == 1
    assert stats.get_value("downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError") == 1


def test_get_header_size_ignores_non_lists():
    assert get_header_size({"Content-Type": "text/html"}) == 0
    assert get_header_size({b"A": [b"1"], b"B": [b"22"]}) == len(b"A: 1\r\nB: 22")


def test_status_line_size_uses_scrapys_reason_phrases():
    from ascrapy.middleware.downloader.stats import get_status_size

    assert get_status_size(200) == len("OK") + 15
    assert get_status_size(408) == len("Request Time-out") + 15  # Twisted's phrase, not Python's
    assert get_status_size(429) == 15  # not in Twisted's table
