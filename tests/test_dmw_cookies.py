import json
import logging

import pytest

from ascrapy.exceptions import NotConfigured
from ascrapy.http import Request, Response
from ascrapy.middleware.downloader import cookies as cookies_module
from ascrapy.middleware.downloader.cookies import CookiesMiddleware
from ascrapy.middleware.downloader.redirect import RedirectMiddleware

from .mw_helpers import build

LOGGER = "scrapy.downloadermiddlewares.cookies"


@pytest.fixture
def mw():
    return build(CookiesMiddleware)[0]


def sent(mw, url, **kwargs):
    """The Cookie header the middleware puts on a request to ``url``."""
    request = Request(url, **kwargs)
    assert mw.process_request(request) is None
    return request.headers.get("Cookie")


def receive(mw, url, *set_cookies, **request_kwargs):
    request = Request(url, **request_kwargs)
    response = Response(url, headers={"Set-Cookie": list(set_cookies)})
    assert mw.process_response(request, response) is response


def cookie_set(header):
    return set(header.split(b"; ")) if header else set()


def test_disabled():
    with pytest.raises(NotConfigured):
        build(CookiesMiddleware, {"COOKIES_ENABLED": False})
    assert build(CookiesMiddleware)[0].debug is False
    assert build(CookiesMiddleware, {"COOKIES_DEBUG": True})[0].debug is True


def test_response_cookies_sent_on_later_requests(mw):
    assert sent(mw, "http://a.example/") is None
    receive(mw, "http://a.example/", "C1=value1; Path=/")
    assert sent(mw, "http://a.example/sub/") == b"C1=value1"
    assert sent(mw, "http://b.example/") is None


def test_non_utf8_set_cookie_does_not_break(mw):
    receive(mw, "http://a.example/", b"C1=in\xa3valid; Path=/")
    assert sent(mw, "http://a.example/") is not None


def test_stale_cookie_header_is_replaced_by_the_jar(mw):
    receive(mw, "http://a.example/", "jar=1")
    assert sent(mw, "http://a.example/", headers={"Cookie": "manual=1"}) == b"jar=1"
    assert sent(mw, "http://b.example/", headers={"Cookie": "manual=1"}) is None


def test_dont_merge_cookies(mw):
    receive(mw, "http://a.example/", "C1=value1")
    assert sent(mw, "http://a.example/", meta={"dont_merge_cookies": True}) is None
    assert sent(mw, "http://a.example/", meta={"dont_merge_cookies": True}, headers={"Cookie": "own=1"}) == b"own=1"
    receive(mw, "http://a.example/", "leak=1", meta={"dont_merge_cookies": True})
    assert sent(mw, "http://a.example/") == b"C1=value1"
    assert sent(mw, "http://a.example/", meta={"dont_merge_cookies": 0}) == b"C1=value1"


def test_request_cookies_as_dict_are_merged_into_the_jar(mw):
    assert sent(mw, "http://a.example/", cookies={"galleta": "salada"}) == b"galleta=salada"
    receive(mw, "http://a.example/", "C1=value1")
    assert cookie_set(sent(mw, "http://a.example/other")) == {b"C1=value1", b"galleta=salada"}


def test_request_cookies_as_list_with_domain_and_path(mw):
    cookies = [
        {"name": "C1", "value": "value1", "path": "/foo", "domain": "a.example"},
        {"name": "C2", "value": "value2", "path": "/bar", "domain": "a.example"},
        {"name": "C3", "value": "value3", "path": "/foo", "domain": "a.example"},
        {"name": "C4", "value": "value4", "path": "/foo", "domain": "b.example"},
    ]
    sent(mw, "http://a.example/", cookies=cookies)
    assert cookie_set(sent(mw, "http://a.example/foo")) == {b"C1=value1", b"C3=value3"}
    assert sent(mw, "http://a.example/bar") == b"C2=value2"
    assert sent(mw, "http://a.example/baz") is None
    # A site cannot be given cookies for another one.
    assert sent(mw, "http://b.example/foo") is None


def test_domain_cookie_is_shared_with_subdomains(mw):
    sent(mw, "https://books.toscrape.com", cookies=[{"name": "a", "value": "b", "domain": "toscrape.com"}])
    assert sent(mw, "https://quotes.toscrape.com") == b"a=b"


def test_request_cookie_values_are_text_encoded(mw):
    for cookies in ({"a": "á".encode()}, {"a": "á".encode("latin1")}, {"a": "á"}, {b"a": "á"}):
        fresh = build(CookiesMiddleware)[0]
        assert sent(fresh, "http://a.example/", cookies=cookies) == "a=á".encode()
    assert sent(mw, "http://a.example/", cookies={"n": 10, "f": 9.5, "b": True}) is not None
    assert cookie_set(sent(mw, "http://a.example/")) == {b"n=10", b"f=9.5", b"b=True"}


def test_invalid_request_cookies_are_dropped(mw, caplog):
    cookies = [{"value": "no name"}, {"name": "novalue"}, {"name": "ok", "value": ""}]
    with caplog.at_level(logging.WARNING):
        assert sent(mw, "http://a.example/", cookies=cookies) == b"ok="
    assert len([r for r in caplog.records if "Invalid cookie found in request" in r.getMessage()]) == 2
    # The caller's dicts are not changed.
    assert cookies[0] == {"value": "no name"}


def test_cookiejar_meta_keeps_sessions_apart(mw):
    assert sent(mw, "http://a.example/", cookies={"who": "one"}, meta={"cookiejar": 1}) == b"who=one"
    assert sent(mw, "http://a.example/", cookies={"who": "two"}, meta={"cookiejar": 2}) == b"who=two"
    receive(mw, "http://a.example/", "extra=1", meta={"cookiejar": 1})
    assert cookie_set(sent(mw, "http://a.example/", meta={"cookiejar": 1})) == {b"who=one", b"extra=1"}
    assert sent(mw, "http://a.example/", meta={"cookiejar": 2}) == b"who=two"
    assert sent(mw, "http://a.example/") is None
    assert set(mw.jars) == {1, 2, None}


def test_port_is_ignored_for_cookie_matching(mw):
    receive(mw, "http://a.example:1104/", "C1=value1; Path=/")
    assert sent(mw, "http://a.example:1104/x") == b"C1=value1"
    assert sent(mw, "http://a.example/x") == b"C1=value1"


@pytest.mark.parametrize(
    ("url", "cookies"),
    [
        ("http://example-host/", {"currency": "USD"}),
        ("http://example-host/", [{"name": "currency", "value": "USD", "domain": "example-host.local"}]),
        ("http://127.0.0.1/", [{"name": "currency", "value": "USD", "domain": "127.0.0.1"}]),
    ],
)
def test_local_hosts(mw, url, cookies):
    assert sent(mw, url, cookies=cookies) == b"currency=USD"


def test_hostless_urls_get_no_cookies(mw):
    assert sent(mw, "data:,", cookies={"a": "b"}) is None
    assert sent(mw, "file:///tmp/x", cookies={"a": "b"}) is None


@pytest.mark.parametrize(
    ("secure", "scheme", "sent_over_http", "sent_over_https"),
    [
        (None, "https", False, True),  # no secure key: secure when set over https
        (None, "http", True, True),
        (False, "https", True, True),
        (True, "http", False, True),
        (True, "https", False, True),
    ],
)
def test_secure_flag(mw, secure, scheme, sent_over_http, sent_over_https):
    cookie = {"name": "a", "value": "b"}
    if secure is not None:
        cookie["secure"] = secure
    sent(mw, f"{scheme}://a.example/", cookies=[cookie])
    assert (sent(mw, "http://a.example/") == b"a=b") is sent_over_http
    assert (sent(mw, "https://a.example/") == b"a=b") is sent_over_https


needs_tldextract = pytest.mark.skipif(
    not cookies_module._is_public_domain("co.uk"), reason="public suffixes need tldextract"
)


@needs_tldextract
@pytest.mark.parametrize(
    ("first", "second", "domain", "first_gets", "second_gets"),
    [
        ("https://foo.co.uk", "https://bar.co.uk", "co.uk", False, False),
        ("https://foo.blogspot.com", "https://bar.blogspot.com", "blogspot.com", False, False),
        ("https://co.uk", "https://co.uk", "co.uk", True, True),
    ],
)
def test_public_suffix_cookies_from_requests(mw, first, second, domain, first_gets, second_gets):
    got = sent(mw, first, cookies=[{"name": "a", "value": "b", "domain": domain}])
    assert (got == b"a=b") is first_gets
    assert (sent(mw, second) == b"a=b") is second_gets


@needs_tldextract
@pytest.mark.parametrize(
    ("first", "second", "domain", "shared"),
    [
        ("https://books.toscrape.com", "https://quotes.toscrape.com", "toscrape.com", True),
        ("https://foo.co.uk", "https://bar.co.uk", "co.uk", False),
        ("https://foo.blogspot.com", "https://bar.blogspot.com", "blogspot.com", False),
        ("https://co.uk", "https://co.uk", "co.uk", True),
    ],
)
def test_public_suffix_cookies_from_servers(mw, first, second, domain, shared):
    receive(mw, first, f"a=b; Domain={domain}")
    assert (sent(mw, second) == b"a=b") is shared


def test_bare_top_level_domain_is_public(mw):
    receive(mw, "http://shop.example/", "a=b; Domain=example")
    assert sent(mw, "http://other.example/") is None
    assert cookies_module._is_public_domain("com")
    assert not cookies_module._is_public_domain("example.com")


def test_debug_logs_sent_and_received_cookies(caplog):
    mw, _ = build(CookiesMiddleware, {"COOKIES_DEBUG": True})
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        receive(mw, "http://a.example/", "C1=value1; path=/", "C2=value2; path=/")
        sent(mw, "http://a.example/sub")
        receive(mw, "http://a.example/none")
        sent(mw, "http://b.example/")
    assert [(r.name, r.levelno) for r in caplog.records] == [(LOGGER, logging.DEBUG)] * 2
    assert caplog.messages[0] == (
        "Received cookies from: <200 http://a.example/>\n"
        "Set-Cookie: C1=value1; path=/\n\nSet-Cookie: C2=value2; path=/\n"
    )
    assert caplog.messages[1] == "Sending cookies to: <GET http://a.example/sub>\nCookie: C1=value1; C2=value2\n"


def test_no_debug_logs_by_default(mw, caplog):
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        receive(mw, "http://a.example/", "C1=value1")
        sent(mw, "http://a.example/")
    assert caplog.records == []


@pytest.mark.parametrize(
    ("source", "target", "status", "follows"),
    [
        ("https://a.example", "https://a.example/2", 301, True),
        ("https://a.example", "https://a.example/2", 302, True),
        ("https://a.example", "https://b.example", 301, False),
        ("http://a.example", "https://a.example", 301, True),
        ("https://a.example", "http://a.example", 301, False),  # secure by default over https
    ],
)
def test_cookies_across_redirects(source, target, status, follows):
    mw, crawler = build(CookiesMiddleware)
    redirect = RedirectMiddleware.from_crawler(crawler)
    request = Request(source, cookies={"a": "b"})
    mw.process_request(request)
    assert request.headers.get("Cookie") == b"a=b"
    response = Response(source, status=status, headers={"Location": target})
    assert mw.process_response(request, response) is response
    follow_up = redirect.process_response(request, response)
    assert isinstance(follow_up, Request)
    mw.process_request(follow_up)
    assert (follow_up.headers.get("Cookie") == b"a=b") is follows


async def test_real_crawl_keeps_a_session(aiohttp_server):
    import ascrapy
    from tests.sites import make_failure_app

    from .crawl_helpers import crawl

    server = await aiohttp_server(make_failure_app())
    seen = []

    class Session(ascrapy.Spider):
        name = "session"

        async def start(self):
            yield ascrapy.Request(str(server.make_url("/cookies/set?token=abc&lang=en")))

        def parse(self, response):
            seen.append(json.loads(response.text)["cookies"])
            if len(seen) == 1:
                yield ascrapy.Request(str(server.make_url("/cookies/delete?lang")), dont_filter=True)
                yield ascrapy.Request(
                    str(server.make_url("/cookies")),
                    meta={"cookiejar": "other"},
                    cookies={"own": "1"},
                    callback=self.other,
                    dont_filter=True,
                )

        def other(self, response):
            seen.append(("other", json.loads(response.text)["cookies"]))

    # Named explicitly: the same key as in DOWNLOADER_MIDDLEWARES_BASE.
    middlewares = {"ascrapy.middleware.downloader.cookies.CookiesMiddleware": 700}
    await crawl(Session, {"CONCURRENT_REQUESTS": 1, "DOWNLOADER_MIDDLEWARES": middlewares})
    assert seen[0] == {"token": "abc", "lang": "en"}
    assert {"token": "abc"} in seen
    assert ("other", {"own": "1"}) in seen
