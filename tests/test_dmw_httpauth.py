import pytest
from w3lib.http import basic_auth_header

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request
from ascrapy.middleware.downloader.httpauth import HttpAuthMiddleware
from ascrapy.spiders import Spider

from .mw_helpers import build

_UNSET = object()


def make(user="", password="", domain=_UNSET):
    settings = {"HTTPAUTH_USER": user, "HTTPAUTH_PASS": password}
    if domain is not _UNSET:
        settings["HTTPAUTH_DOMAIN"] = domain
    return build(HttpAuthMiddleware, settings)[0]


def test_credentials_without_domain_setting_refused():
    with pytest.raises(ValueError, match="HTTPAUTH_DOMAIN"):
        make("foo", "bar")


def test_domain_and_subdomains_get_the_header():
    mw = make("foo", "bar", "example.com")
    for url in ("http://example.com/", "http://sub.example.com/"):
        request = Request(url)
        mw.process_request(request)
        assert request.headers["Authorization"] == basic_auth_header("foo", "bar")
    other = Request("http://other.com/")
    mw.process_request(other)
    assert "Authorization" not in other.headers


def test_domain_none_sends_everywhere():
    mw = make("foo", "bar", None)
    request = Request("http://anywhere.example/")
    mw.process_request(request)
    assert request.headers["Authorization"] == basic_auth_header("foo", "bar")


def test_no_credentials_no_header():
    mw = make()
    request = Request("http://example.com/")
    mw.process_request(request)
    assert "Authorization" not in request.headers


def test_existing_header_kept():
    mw = make("foo", "bar", "example.com")
    request = Request("http://example.com/", headers={"Authorization": "Digest 123"}, meta={"http_user": "u"})
    mw.process_request(request)
    assert request.headers["Authorization"] == b"Digest 123"


def test_meta_credentials_win_and_respect_meta_domain():
    mw = make("mw", "pw", "example.com")
    request = Request("http://example.com/", meta={"http_user": "u", "http_pass": "p"})
    mw.process_request(request)
    assert request.headers["Authorization"] == basic_auth_header("u", "p")
    elsewhere = Request(
        "http://other.com/", meta={"http_user": "u", "http_pass": "p", "http_auth_domain": "example.com"}
    )
    mw.process_request(elsewhere)
    assert "Authorization" not in elsewhere.headers


def test_deprecated_spider_attributes():
    class DomainSpider(Spider):
        name = "s"
        http_user = "foo"
        http_pass = "bar"
        http_auth_domain = "example.com"

    class NoDomainSpider(Spider):
        name = "s"
        http_user = "foo"
        http_pass = "bar"

    mw = HttpAuthMiddleware()
    with pytest.warns(ScrapyDeprecationWarning):
        mw.spider_opened(DomainSpider())
    request = Request("http://example.com/")
    mw.process_request(request)
    assert request.headers["Authorization"] == basic_auth_header("foo", "bar")
    with pytest.warns(ScrapyDeprecationWarning), pytest.raises(AttributeError):
        HttpAuthMiddleware().spider_opened(NoDomainSpider())
