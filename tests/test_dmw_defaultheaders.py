from ascrapy.http import Request
from ascrapy.middleware.downloader.defaultheaders import DefaultHeadersMiddleware

from .mw_helpers import build


def test_defaults_added():
    mw, crawler = build(DefaultHeadersMiddleware)
    request = Request("http://example.com")
    mw.process_request(request)
    defaults = crawler.settings["DEFAULT_REQUEST_HEADERS"]
    assert defaults  # Scrapy's defaults: Accept and Accept-Language
    for name, value in defaults.items():
        assert request.headers[name] == value.encode()


def test_request_headers_win_and_none_unsets():
    mw, _ = build(DefaultHeadersMiddleware, {"DEFAULT_REQUEST_HEADERS": {"Accept-Language": "en", "X-Gone": None}})
    request = Request("http://example.com", headers={"Accept-Language": "es", "Test": "t"})
    mw.process_request(request)
    assert request.headers.getlist("Accept-Language") == [b"es"]
    assert request.headers["Test"] == b"t"
    assert "X-Gone" not in request.headers
