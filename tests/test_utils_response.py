"""Response helpers: base URL, meta refresh, status text, raw HTTP, open in browser."""

from pathlib import Path

import pytest

from ascrapy.http import HtmlResponse, Response, TextResponse
from ascrapy.utils.response import (
    get_base_url,
    get_meta_refresh,
    open_in_browser,
    response_httprepr,
    response_status_message,
)


def test_get_base_url():
    assert get_base_url(HtmlResponse("http://x.com/a/b", body=b"<p>")) == "http://x.com/a/b"
    based = HtmlResponse("http://x.com/a/b", body=b'<head><base href="/root/" target="_top"></head>')
    assert get_base_url(based) == "http://x.com/root/"
    assert get_base_url(based) is get_base_url(based)


def test_base_url_of_a_page_without_base_is_its_url_made_safe():
    # The shortcut for simple URLs must not skip the escaping of the others.
    assert get_base_url(HtmlResponse("http://x.com/a b?q=é", body=b"<p>")) == "http://x.com/a%20b?q=%C3%A9"
    assert get_base_url(HtmlResponse("http://X.com/a", body=b"<p>")) == "http://x.com/a"
    upper = HtmlResponse("http://x.com/a/b", body=b'<HEAD><BASE HREF="/up/"></HEAD>')
    assert get_base_url(upper) == "http://x.com/up/"


def test_base_url_of_responses_without_the_text_slot():
    class Loose:  # anything with text, url and encoding, as Scrapy accepts
        text = '<base href="http://b.com/">'
        url = "http://x.com/"
        encoding = "utf-8"

    loose = Loose()
    assert get_base_url(loose) == "http://b.com/"
    assert get_base_url(loose) is get_base_url(loose)


def test_get_meta_refresh():
    page = b'<head><base href="http://b.com/d/"><meta http-equiv="refresh" content="2; url=next"></head>'
    assert get_meta_refresh(HtmlResponse("http://x.com", body=page)) == (2.0, "http://b.com/d/next")
    hidden = b'<noscript><meta http-equiv="refresh" content="0;url=http://y.com"></noscript>'
    assert get_meta_refresh(HtmlResponse("http://x.com", body=hidden)) == (None, None)
    shouted = b'<META HTTP-EQUIV="REFRESH" CONTENT="5;URL=/later">'
    assert get_meta_refresh(HtmlResponse("http://x.com/a/", body=shouted)) == (5.0, "http://x.com/later")
    plain = b'<meta charset="utf-8"><meta name="description" content="no redirect here">'
    assert get_meta_refresh(HtmlResponse("http://x.com", body=plain)) == (None, None)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (200, "200 OK"),
        ("404", "404 Not Found"),
        (504, "504 Gateway Time-out"),
        # Scrapy's reason phrases come from Twisted, which has none for 429.
        (429, "429 Unknown Status"),
        (599, "599 Unknown Status"),
    ],
)
def test_response_status_message(status, message):
    assert response_status_message(status) == message


def test_response_httprepr():
    response = Response("http://x.com", status=404, headers={"A": "1"}, body=b"gone")
    assert response_httprepr(response) == b"HTTP/1.1 404 Not Found\r\nA: 1\r\n\r\ngone"


def _opened(response):
    opened = []
    assert open_in_browser(response, _openfunc=lambda url: opened.append(url) or True)
    path = Path(opened[0].removeprefix("file://"))
    return path.suffix, path.read_bytes()


def test_open_in_browser_adds_base_after_doctype():
    suffix, body = _opened(HtmlResponse("http://x.com/p", body=b"<!DOCTYPE html><html><head></head></html>"))
    assert suffix == ".html"
    assert body == b'<!DOCTYPE html><base href="http://x.com/p"><html><head></head></html>'


def test_open_in_browser_keeps_the_page_base():
    _, body = _opened(HtmlResponse("http://x.com/p", body=b'<base href="/b/">'))
    assert body.startswith(b'<base href="http://x.com/b/">')


def test_open_in_browser_other_types():
    assert _opened(TextResponse("http://x.com", body=b"t"))[0] == ".txt"
    pdf = Response("http://x.com", body=b"%PDF", headers={"Content-Type": "application/pdf"})
    assert _opened(pdf)[0] == ".pdf"
    with pytest.raises(TypeError, match="Unsupported response type: Response"):
        open_in_browser(Response("http://x.com", body=b"?"), _openfunc=lambda url: True)
