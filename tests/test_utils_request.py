"""Request helpers: raw HTTP, curl, referer, authentication, serialisation re-exports."""

import logging

from ascrapy.fingerprint import fingerprint as fingerprint_impl
from ascrapy.http import Request
from ascrapy.utils.request import (
    fingerprint,
    referer_str,
    request_authenticate,
    request_httprepr,
    request_to_curl,
)


def test_fingerprint_is_re_exported():
    assert fingerprint is fingerprint_impl


def test_request_httprepr():
    request = Request("http://x.com/p?q=1#f", method="POST", headers={"X-A": "1"}, body=b"body")
    assert request_httprepr(request) == b"POST /p?q=1 HTTP/1.1\r\nHost: x.com\r\nX-A: 1\r\n\r\nbody"
    assert request_httprepr(Request("http://x.com")) == b"GET / HTTP/1.1\r\nHost: x.com\r\n\r\n"
    assert request_httprepr(Request("file:///tmp/f")).startswith(b"GET /tmp/f HTTP/1.1")


def test_referer_str():
    assert referer_str(Request("http://x.com")) is None
    assert (
        referer_str(Request("http://x.com", headers={"Referer": b"http://r.com/\xff"}))
        == "http://r.com/\ufffd"
    )


def test_request_authenticate():
    request = Request("http://x.com")
    request_authenticate(request, "user", "pass")
    assert request.headers["Authorization"] == b"Basic dXNlcjpwYXNz"


def test_request_to_curl_get_and_post():
    assert request_to_curl(Request("https://x.com")) == "curl -X GET https://x.com"
    post = Request(
        "https://x.com/p", method="POST", body='{"a": 1}', headers={"Content-Type": "application/json"}
    )
    assert request_to_curl(post) == (
        "curl -X POST https://x.com/p --data-raw '{\"a\": 1}' -H 'Content-Type: application/json'"
    )


def test_request_to_curl_cookie_forms(caplog):
    verbose = Request(
        "https://x.com",
        cookies=[
            {"name": b"a", "value": 1, "domain": "x.com"},
            {"name": "b", "value": b"\xff"},
            {"name": "c"},
        ],
    )
    with caplog.at_level(logging.WARNING):
        assert request_to_curl(verbose) == "curl -X GET https://x.com --cookie 'a=1; b=\xff'"
    assert "('value' is missing)" in caplog.text
    assert "Non UTF-8 encoded cookie" in caplog.text
    assert (
        request_to_curl(Request("https://x.com", cookies={b"k": b"v"}))
        == "curl -X GET https://x.com --cookie 'k=v'"
    )
