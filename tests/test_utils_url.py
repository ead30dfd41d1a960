"""URL helpers."""

import pytest

from ascrapy.utils.url import (
    _is_filesystem_path,
    add_http_if_no_scheme,
    escape_ajax,
    guess_scheme,
    strip_url,
    url_has_any_extension,
    url_is_from_any_domain,
    url_is_from_spider,
)


@pytest.mark.parametrize(
    ("url", "domains", "expected"),
    [
        ("http://www.Example.com/a", ["example.COM"], True),
        ("http://example.com/a", ["example.com"], True),
        ("http://badexample.com/a", ["example.com"], False),
        ("http://127.0.0.1:8080/", ["127.0.0.1:8080"], True),
        ("http://127.0.0.1:8080/", ["127.0.0.1"], False),
        ("javascript:void(0)", ["example.com"], False),
    ],
)
def test_url_is_from_any_domain(url, domains, expected):
    assert url_is_from_any_domain(url, domains) is expected


def test_url_is_from_spider_uses_name_and_allowed_domains():
    class Spider:
        name = "example.com"
        allowed_domains = ("example.org",)

    assert url_is_from_spider("http://sub.example.com/x", Spider)
    assert url_is_from_spider("http://example.org/x", Spider)
    assert not url_is_from_spider("http://example.net/x", Spider)


def test_url_is_from_spider_warns_about_property_domains():
    class Spider:
        name = "spider"

        @property
        def allowed_domains(self):
            return ["example.org"]

    with pytest.warns(UserWarning, match="allowed_domains is a property"):
        assert not url_is_from_spider("http://example.org/", Spider)


def test_url_has_any_extension():
    assert url_has_any_extension("http://x.com/A.PDF?x=1", [".pdf"])
    assert not url_has_any_extension("http://x.com/a.pdf.html", [".pdf"])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("example.com/a", "http://example.com/a"),
        ("//example.com/a", "http://example.com/a"),
        ("user:pw@example.com:81", "http://user:pw@example.com:81"),
        ("ftp://example.com", "ftp://example.com"),
    ],
)
def test_add_http_if_no_scheme(url, expected):
    assert add_http_if_no_scheme(url) == expected


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("./page.html", "file://"),
        ("~/x", "file://"),
        ("/tmp/x", "file://"),
        ("example.com", "http://"),
        ("/", "http://"),
    ],
)
def test_guess_scheme(value, scheme):
    assert guess_scheme(value).startswith(scheme)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("C:\\dir\\f.txt", True),
        ("\\\\server\\share", True),
        ("../up", True),
        ("http://x.com", False),
        (".../x", False),
    ],
)
def test_is_filesystem_path(path, expected):
    assert _is_filesystem_path(path) is expected


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "https://example.com/p?q=1"),
        ({"strip_credentials": False}, "https://u:p@example.com/p?q=1"),
        ({"strip_default_port": False}, "https://example.com:443/p?q=1"),
        ({"strip_fragment": False}, "https://example.com/p?q=1#f"),
        ({"origin_only": True}, "https://example.com/"),
    ],
)
def test_strip_url(kwargs, expected):
    assert strip_url("https://u:p@example.com:443/p?q=1#f", **kwargs) == expected


def test_strip_url_keeps_non_default_ports():
    assert strip_url("http://example.com:443/") == "http://example.com:443/"


def test_escape_ajax():
    assert escape_ajax("http://x.com/a?k=v#!s=1") == "http://x.com/a?k=v&_escaped_fragment_=s%3D1"
    assert escape_ajax("http://x.com/a#plain") == "http://x.com/a#plain"
