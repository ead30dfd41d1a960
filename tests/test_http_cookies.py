import time
from http.cookiejar import DefaultCookiePolicy

import pytest

from ascrapy.http import Request, Response
from ascrapy.http.cookies import CookieJar, WrappedRequest, WrappedResponse, potential_domain_matches


def set_cookie_response(url, *values):
    return Response(url, headers={"Set-Cookie": list(values)})


def cookie_header(jar, url):
    request = Request(url)
    jar.add_cookie_header(request)
    return request.headers.get("Cookie")


def test_extract_then_send_back_to_matching_path_only():
    jar = CookieJar()
    request = Request("http://example.com/shop/cart")
    jar.extract_cookies(set_cookie_response(request.url, "a=1; Path=/shop", "b=2; Path=/"), request)
    assert len(jar) == 2
    assert sorted(cookie.name for cookie in jar) == ["a", "b"]
    assert cookie_header(jar, "http://example.com/shop/item") in (b"a=1; b=2", b"b=2; a=1")
    assert cookie_header(jar, "http://example.com/blog") == b"b=2"


def test_domain_cookie_reaches_subdomains_host_cookie_does_not():
    jar = CookieJar()
    request = Request("http://www.example.com/")
    jar.extract_cookies(
        set_cookie_response(request.url, "wide=1; Domain=example.com", "narrow=2"), request
    )
    assert ".example.com" in jar._cookies
    assert "www.example.com" in jar._cookies
    assert cookie_header(jar, "http://shop.example.com/") == b"wide=1"
    assert cookie_header(jar, "http://other.org/") is None


def test_existing_cookie_header_is_left_alone():
    jar = CookieJar()
    request = Request("http://example.com/")
    jar.extract_cookies(set_cookie_response(request.url, "a=1"), request)
    manual = Request("http://example.com/", headers={"Cookie": "mine=1"})
    jar.add_cookie_header(manual)
    assert manual.headers.getlist("Cookie") == [b"mine=1"]


def test_secure_cookie_only_over_https():
    jar = CookieJar()
    request = Request("https://example.com/")
    jar.extract_cookies(set_cookie_response(request.url, "s=1; Secure"), request)
    assert cookie_header(jar, "https://example.com/") == b"s=1"
    assert cookie_header(jar, "http://example.com/") is None


def test_expired_cookie_removes_stored_one():
    jar = CookieJar()
    request = Request("http://example.com/")
    jar.extract_cookies(set_cookie_response(request.url, "a=1"), request)
    jar.extract_cookies(set_cookie_response(request.url, "a=gone; Max-Age=0"), request)
    assert len(jar) == 0


def test_dotless_and_ip_hosts():
    jar = CookieJar()
    for url in ("http://intranet/", "http://127.0.0.1:8080/"):
        request = Request(url)
        jar.extract_cookies(set_cookie_response(url, "k=v"), request)
        assert cookie_header(jar, url) == b"k=v"
    assert cookie_header(jar, "http://other/") is None


def test_hostless_url_gets_no_header_and_is_not_counted():
    jar = CookieJar()
    request = Request("data:,hello")
    jar.add_cookie_header(request)
    assert "Cookie" not in request.headers
    assert jar.processed == 0


def test_expired_cookies_swept_every_check_expired_frequency_calls():
    jar = CookieJar(check_expired_frequency=2)
    request = Request("http://example.com/")
    expires = time.strftime("%a, %d-%b-%Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))
    jar.extract_cookies(set_cookie_response(request.url, f"a=1; Expires={expires}"), request)
    cookie = next(iter(jar))
    cookie.expires = int(time.time()) - 10  # expired since it was stored
    jar.add_cookie_header(Request("http://other.org/"))
    assert len(jar) == 1
    jar.add_cookie_header(Request("http://other.org/"))
    assert jar.processed == 2
    assert len(jar) == 0


def test_make_cookies_does_not_store_and_set_cookie_if_ok_applies_policy():
    jar = CookieJar()
    request = Request("http://example.com/")
    cookies = jar.make_cookies(set_cookie_response(request.url, "a=1", "b=2; Domain=other.org"), request)
    assert len(jar) == 0
    assert [cookie.name for cookie in cookies] == ["a", "b"]
    for cookie in cookies:
        jar.set_cookie_if_ok(cookie, request)
    assert [cookie.name for cookie in jar] == ["a"]
    jar.set_cookie(cookies[1])
    assert len(jar) == 2


def test_clear_and_clear_session_cookies():
    jar = CookieJar()
    request = Request("http://example.com/")
    jar.extract_cookies(set_cookie_response(request.url, "session=1", "kept=2; Max-Age=3600"), request)
    jar.clear_session_cookies()
    assert [cookie.name for cookie in jar] == ["kept"]
    jar.clear()
    assert len(jar) == 0


def test_set_policy_is_used_for_new_cookies():
    jar = CookieJar()
    policy = DefaultCookiePolicy(blocked_domains=["example.com"])
    jar.set_policy(policy)
    assert jar.jar._policy is policy
    assert jar.policy is policy
    request = Request("http://example.com/")
    jar.extract_cookies(set_cookie_response(request.url, "a=1"), request)
    assert len(jar) == 0


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("www.example.com", ["www.example.com", "example.com", ".www.example.com", ".example.com"]),
        ("example.com", ["example.com", ".example.com"]),
        ("localhost", ["localhost", ".localhost"]),
        ("a.b.c.d", ["a.b.c.d", "b.c.d", "c.d", ".a.b.c.d", ".b.c.d", ".c.d"]),
    ],
)
def test_potential_domain_matches(domain, expected):
    assert potential_domain_matches(domain) == expected


def test_wrapped_request_urllib_interface():
    request = Request("https://www.example.com:8443/page?q=1", headers={"Content-Type": "text/html", "Empty": b""})
    wrapped = WrappedRequest(request)
    assert wrapped.get_full_url() == wrapped.full_url == request.url
    assert wrapped.get_host() == wrapped.host == "www.example.com:8443"
    assert wrapped.get_type() == wrapped.type == "https"
    assert wrapped.origin_req_host == "www.example.com"
    assert not wrapped.unverifiable and not wrapped.is_unverifiable()
    assert wrapped.has_header("content-type") and not wrapped.has_header("missing")
    assert wrapped.get_header("content-type") == "text/html"
    assert wrapped.get_header("empty") == ""
    assert wrapped.get_header("missing") is None
    assert wrapped.get_header("missing", "fallback") == "fallback"
    assert ("Content-Type", ["text/html"]) in wrapped.header_items()
    wrapped.add_unredirected_header("X-Added", "1")
    assert request.headers["X-Added"] == b"1"


def test_wrapped_response_returns_text_for_every_value():
    response = Response("http://example.com/", headers={"Set-Cookie": [b"a=1", b"b=\xa3"]})
    wrapped = WrappedResponse(response)
    assert wrapped.info() is wrapped
    assert wrapped.get_all("set-cookie") == ["a=1", "b=\ufffd"]
    assert wrapped.get_all("missing") == []
