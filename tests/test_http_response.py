"""Response and TextResponse: attributes, encoding detection, text, selectors, following links."""

import codecs
from ipaddress import ip_address

import pytest

from ascrapy.exceptions import NotSupported
from ascrapy.http import Headers, HtmlResponse, JsonResponse, Request, Response, TextResponse, XmlResponse
from ascrapy.link import Link
from ascrapy.selector import Selector
from ascrapy.utils.response import response_from_dict

# -- Response ------------------------------------------------------------------------


def test_response_defaults_and_types():
    response = Response("http://x.com")
    assert (response.status, response.body, response.flags) == (200, b"", [])
    assert isinstance(response.headers, Headers) and not response.headers
    assert Response("http://x.com", status="404").status == 404
    assert repr(Response("http://x.com", status=301)) == "<301 http://x.com>"
    with pytest.raises(TypeError, match="Response url must be str, got bytes"):
        Response(b"http://x.com")
    with pytest.raises(TypeError, match="Response body must be bytes"):
        Response("http://x.com", body="text")
    with pytest.raises(ValueError):
        Response("http://x.com", status="OK")


def test_response_does_not_touch_its_url():
    assert Response("http://x.com/a b/£").url == "http://x.com/a b/£"


def test_url_and_body_are_read_only():
    response = Response("http://x.com")
    with pytest.raises(AttributeError):
        response.url = "http://y.com"
    with pytest.raises(AttributeError):
        response.body = b""


def test_headers_and_flags_are_lazy_and_settable():
    response = Response("http://x.com")
    assert response._headers is None and response._flags is None
    response.headers = {"A": "1"}
    assert isinstance(response.headers, Headers) and response.headers["a"] == b"1"
    response.flags = None
    assert response.flags == [] and response._flags == []


def test_meta_and_cb_kwargs_come_from_the_request():
    request = Request("http://x.com", meta={"m": 1}, cb_kwargs={"k": 2})
    response = Response("http://x.com", request=request)
    assert response.meta is request.meta and response.cb_kwargs is request.cb_kwargs
    orphan = Response("http://x.com")
    with pytest.raises(AttributeError, match=r"Response\.meta not available"):
        _ = orphan.meta
    with pytest.raises(AttributeError, match=r"Response\.cb_kwargs not available"):
        _ = orphan.cb_kwargs


def test_binary_response_has_no_text():
    response = Response("http://x.com", body=b"\x00")
    with pytest.raises(AttributeError, match="Response content isn't text"):
        _ = response.text
    for method in (response.css, response.xpath, response.jmespath):
        with pytest.raises(NotSupported, match="Response content isn't text"):
            method("x")


def test_copy_and_replace():
    original = Response("http://x.com", body=b"b", flags=["cached"], headers={"A": "1"}, protocol="h2")
    duplicate = original.copy()
    assert duplicate.flags == original.flags and duplicate.flags is not original.flags
    assert duplicate.headers == original.headers and duplicate.headers is not original.headers
    assert duplicate.protocol == "h2"
    replaced = original.replace(status=404, body=b"")
    assert (replaced.status, replaced.body, replaced.url) == (404, b"", "http://x.com")
    assert type(original.replace(cls=HtmlResponse)) is HtmlResponse


def test_follow_builds_absolute_requests():
    response = Response("http://x.com/a/b.html")
    assert response.follow("c.html").url == "http://x.com/a/c.html"
    assert response.follow(Link("http://y.com/ ")).url == "http://y.com/"
    followed = response.follow("/z", meta={"m": 1}, flags=["f"], priority=2)
    assert (followed.meta, followed.flags, followed.priority) == ({"m": 1}, ["f"], 2)
    with pytest.raises(ValueError, match="url can't be None"):
        response.follow(None)
    with pytest.raises(ValueError, match="encoding can't be None"):
        response.follow("x", encoding=None)


def test_follow_all():
    response = Response("http://x.com/")
    assert [r.url for r in response.follow_all(["a", Link("http://y.com/b")])] == [
        "http://x.com/a",
        "http://y.com/b",
    ]
    with pytest.raises(TypeError):
        response.follow_all(5)


def test_to_dict_round_trip():
    response = HtmlResponse(
        "http://x.com",
        status=201,
        headers={"Content-Type": "text/html"},
        body=b"\xa3",
        flags=["f"],
        encoding="latin1",
        ip_address=ip_address("127.0.0.1"),
        protocol="HTTP/1.1",
        request=Request("http://x.com"),
        certificate=object(),
    )
    d = response.to_dict()
    assert "request" not in d and "certificate" not in d
    assert d["_class"] == "ascrapy.http.response.html.HtmlResponse"
    restored = response_from_dict(d)
    assert type(restored) is HtmlResponse
    for name in ("url", "status", "headers", "body", "flags", "ip_address", "protocol", "encoding"):
        assert getattr(restored, name) == getattr(response, name), name


def test_response_from_dict_guesses_the_class():
    assert "_class" not in Response("http://x.com").to_dict()
    guessed = response_from_dict(
        {"url": "http://x.com/", "headers": {b"Content-Type": [b"text/xml"]}, "body": b"<a/>"}
    )
    assert type(guessed) is XmlResponse
    assert type(response_from_dict({"url": "http://x.com/", "body": b"\x01\x02"})) is Response


# -- TextResponse encoding ---------------------------------------------------------


def test_str_body_needs_an_encoding():
    with pytest.raises(TypeError, match="Cannot convert unicode body - TextResponse has no encoding"):
        TextResponse("http://x.com", body="£")
    assert TextResponse("http://x.com", body="£", encoding="latin1").body == b"\xa3"


@pytest.mark.parametrize(
    ("kwargs", "expected_encoding", "expected_text"),
    [
        # constructor beats everything
        (
            {"body": b"\xa3", "encoding": "latin1", "headers": {"Content-Type": "text/html; charset=utf-8"}},
            "latin1",
            "£",
        ),
        # a BOM beats the header
        (
            {"body": codecs.BOM_UTF8 + b"\xc2\xa3", "headers": {"Content-Type": "text/html; charset=cp1251"}},
            "utf-8",
            "£",
        ),
        # the header beats the body's declaration
        (
            {
                "body": b'<meta charset="utf-8">\xa3',
                "headers": {"Content-Type": "text/html; charset=iso-8859-1"},
            },
            "cp1252",
            '<meta charset="utf-8">£',
        ),
        ({"body": b'<meta charset="utf-8">\xc2\xa3'}, "utf-8", '<meta charset="utf-8">£'),
        (
            {"body": b'<?xml version="1.0" encoding="latin1"?><a>\xa3</a>'},
            "cp1252",
            '<?xml version="1.0" encoding="latin1"?><a>£</a>',
        ),
        # unknown declared charsets are ignored, then the bytes decide
        ({"body": b"\xc2\xa3", "headers": {"Content-Type": "text/html; charset=bogus"}}, "utf-8", "£"),
        ({"body": b"plain"}, "cp1252", "plain"),
    ],
)
def test_encoding_precedence(kwargs, expected_encoding, expected_text):
    response = TextResponse("http://x.com", **kwargs)
    assert response.encoding == expected_encoding
    assert response.text == expected_text


def test_undeclared_legacy_encoding_is_detected():
    body = "Съешь же ещё этих мягких французских булок, да выпей чаю".encode("cp1251")
    response = TextResponse("http://x.com", body=body)
    assert response._declared_encoding() is None
    assert response.text == body.decode("cp1251")


def test_text_is_cached_and_invalid_bytes_replaced():
    response = TextResponse("http://x.com", body=b"ok\xff<b>", encoding="utf-8")
    assert response.text == "ok\ufffd<b>"
    assert response.text is response.text


@pytest.mark.parametrize("encoding", ["utf-8", "latin1", "cp1252", "ascii", "utf-16", "utf-16-le", "utf-32",
                                      "gb2312", "gb18030", "shift_jis", "koi8-r", "no-such-codec"])
@pytest.mark.parametrize(
    "body",
    [b"<p>caf\xc3\xa9 \xe9 \x81\x30\x81\x30</p>", b"\xef\xbb\xbf<p>bom</p>", b"\xff\xfe<\x00p\x00>\x00",
     b'<meta charset="latin1"><p>\xa3</p>', b"\x00\xff\xd8", b""],
)
def test_text_is_what_html_to_unicode_gives(encoding, body):
    # .text decodes with the encoding found, as html_to_unicode(f"charset={encoding}", body).
    from w3lib.encoding import html_to_unicode

    response = TextResponse("http://x.com", body=body, encoding=encoding)
    assert response.text == html_to_unicode(f"charset={response.encoding}", body)[1]


def test_bom_is_stripped_whatever_the_access_order():
    body = codecs.BOM_UTF8 + b"hi"
    first = TextResponse("http://x.com", body=body)
    assert (first.text, first.encoding) == ("hi", "utf-8")
    second = TextResponse("http://x.com", body=body)
    assert (second.encoding, second.text) == ("utf-8", "hi")


def test_replace_keeps_the_declared_encoding():
    response = TextResponse("http://x.com", body=b"x", encoding="cp1251")
    assert response.replace(body=b"y").encoding == "cp1251"
    assert response.replace(body=b"y", encoding="utf-8").encoding == "utf-8"


def test_json_is_parsed_once():
    response = JsonResponse("http://x.com", body=b'{"a": [1]}')
    assert response.json() == {"a": [1]}
    assert response.json() is response.json()
    legacy = TextResponse("http://x.com", body='{"a": "é"}'.encode("cp1252"), encoding="cp1252")
    assert legacy.json() == {"a": "é"}
    with pytest.raises(ValueError):
        TextResponse("http://x.com", body=b"<html>").json()


# -- TextResponse selectors and links ----------------------------------------------

_PAGE = b"""<html><head><base href="/docs/"></head><body>
<a href=" one.html ">1</a><a href="http://other.com/two">2</a><a name="x">no href</a>
<link href="style.css"><img src="pic.png"><div>d</div></body></html>"""


def test_selector_is_cached_and_typed_by_class():
    html = HtmlResponse("http://x.com", body=_PAGE)
    assert html.selector is html.selector
    assert html.selector.response is html
    assert isinstance(html.selector, Selector) and html.selector.type == "html"
    assert XmlResponse("http://x.com", body=b"<a/>").selector.type == "xml"
    assert JsonResponse("http://x.com", body=b"{}").selector.type == "json"
    assert html.css("div::text").get() == "d"
    assert html.xpath("//a[@href=$h]/text()", h="http://other.com/two").get() == "2"


def test_jmespath():
    response = JsonResponse("http://x.com", body=b'{"a": {"b": [1, 2]}}')
    assert response.jmespath("a.b").getall() == [1, 2]


def test_urljoin_uses_base_href():
    response = HtmlResponse("http://x.com/page", body=_PAGE)
    assert response.urljoin("a.html") == "http://x.com/docs/a.html"
    assert Response("http://x.com/page").urljoin("a.html") == "http://x.com/a.html"


def test_follow_selectors():
    response = HtmlResponse("http://x.com/page", body=_PAGE)
    anchors = response.css("a")
    assert response.follow(anchors[0]).url == "http://x.com/docs/one.html"
    assert response.follow(response.css("img::attr(src)")[0]).url == "http://x.com/docs/pic.png"
    assert response.follow(response.css("link")[0]).url == "http://x.com/docs/style.css"
    with pytest.raises(ValueError, match="SelectorList is not supported"):
        response.follow(anchors)
    with pytest.raises(ValueError, match="no href attribute"):
        response.follow(anchors[2])
    with pytest.raises(ValueError, match="Only <a> and <link> elements are supported; got <div>"):
        response.follow(response.css("div")[0])
    with pytest.raises(ValueError, match="Unsupported selector"):
        response.follow(response.xpath("count(//a)")[0])


def test_follow_uses_the_response_encoding():
    response = HtmlResponse("http://x.com", body=b"", encoding="cp1251")
    request = response.follow("q?w=\u0436")
    assert request.encoding == "cp1251"
    assert request.url == "http://x.com/q?w=%E6"


def test_follow_all_with_css_xpath_or_selectors_skips_unusable_elements():
    response = HtmlResponse("http://x.com/page", body=_PAGE)
    expected = ["http://x.com/docs/one.html", "http://other.com/two"]
    assert [r.url for r in response.follow_all(css="a")] == expected
    assert [r.url for r in response.follow_all(xpath="//a")] == expected
    assert [r.url for r in response.follow_all(response.css("a, div"))] == expected
    with pytest.raises(ValueError, match="Please supply exactly one of the following arguments"):
        response.follow_all(css="a", xpath="//a")
    with pytest.raises(ValueError, match="Please supply exactly one of the following arguments"):
        response.follow_all()
