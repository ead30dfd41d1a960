import warnings

import pytest

from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import Headers, Request, Response
from ascrapy.middleware.spider import referer
from ascrapy.middleware.spider.referer import (
    DefaultReferrerPolicy,
    NoReferrerWhenDowngradePolicy,
    OriginWhenCrossOriginPolicy,
    RefererMiddleware,
    ReferrerPolicy,
    StrictOriginWhenCrossOriginPolicy,
    UnsafeUrlPolicy,
)
from ascrapy.settings import Settings

from .mw_helpers import as_async, build, collect


def referer_for(mw, origin, target, meta=None, response_headers=None):
    response = Response(origin, headers=response_headers or {})
    (out,) = mw.process_spider_output(response, [Request(target, meta=meta or {})])
    return out.headers.get("Referer")


HTTPS_PAGE = "https://user:pw@example.com:443/page.html#frag"
CASES = {
    # policy: [(origin, target, expected)]
    "no-referrer": [(HTTPS_PAGE, "https://example.com/", None)],
    "no-referrer-when-downgrade": [
        (HTTPS_PAGE, "https://other.org/", b"https://example.com/page.html"),
        (HTTPS_PAGE, "http://other.org/", None),
        ("http://example.com/p", "https://other.org/", b"http://example.com/p"),
    ],
    "same-origin": [
        (HTTPS_PAGE, "https://example.com/x", b"https://example.com/page.html"),
        (HTTPS_PAGE, "https://example.com:444/x", None),
        (HTTPS_PAGE, "http://example.com/x", None),
    ],
    "origin": [(HTTPS_PAGE, "http://other.org/", b"https://example.com/")],
    "strict-origin": [
        (HTTPS_PAGE, "https://other.org/", b"https://example.com/"),
        (HTTPS_PAGE, "http://other.org/", None),
        ("http://example.com/p", "http://other.org/", b"http://example.com/"),
    ],
    "origin-when-cross-origin": [
        (HTTPS_PAGE, "https://example.com/x", b"https://example.com/page.html"),
        (HTTPS_PAGE, "http://other.org/", b"https://example.com/"),
    ],
    "strict-origin-when-cross-origin": [
        (HTTPS_PAGE, "https://example.com/x", b"https://example.com/page.html"),
        (HTTPS_PAGE, "https://other.org/", b"https://example.com/"),
        (HTTPS_PAGE, "http://other.org/", None),
    ],
    "unsafe-url": [(HTTPS_PAGE, "http://other.org/", b"https://example.com/page.html")],
    "scrapy-default": [
        ("http://example.com/p", "https://other.org/", b"http://example.com/p"),
        (HTTPS_PAGE, "http://other.org/", None),
        ("file:///home/page.html", "http://other.org/", None),
        ("s3://bucket/key", "https://other.org/", None),
        ("data:,x", "https://other.org/", None),
    ],
}


@pytest.mark.parametrize("source", ["setting", "meta", "header"])
@pytest.mark.parametrize("name", list(CASES))
def test_policies(name, source):
    mw = RefererMiddleware(Settings({"REFERRER_POLICY": name if source == "setting" else "no-referrer"}))
    for origin, target, expected in CASES[name]:
        meta = {"referrer_policy": name} if source == "meta" else None
        headers = {"Referrer-Policy": name.upper()} if source == "header" else None
        assert referer_for(mw, origin, target, meta, headers) == expected, (origin, target)


def test_requests_from_one_response_each_get_their_referrer():
    # The referrer is remembered per response and target origin: check that targets
    # sharing a response but not an origin (or a scheme) still get their own.
    mw = RefererMiddleware(Settings({"REFERRER_POLICY": "strict-origin-when-cross-origin"}))
    targets = [
        "https://example.com/a", "https://other.org/", "http://other.org/", "https://example.com/b",
        "https://other.org/x", "http://example.com/c",
    ]
    out = mw.process_spider_output(Response(HTTPS_PAGE), [Request(target) for target in targets])
    assert [request.headers.get("Referer") for request in out] == [
        b"https://example.com/page.html", b"https://example.com/", None, b"https://example.com/page.html",
        b"https://example.com/", None,
    ]


def test_default_and_existing_header_kept():
    mw, _ = build(RefererMiddleware)
    assert mw.default_policy is DefaultReferrerPolicy
    response = Response("http://a.example/")
    (out,) = mw.process_spider_output(response, [Request("http://b.example/", headers={"Referer": "mine"})])
    assert out.headers["Referer"] == b"mine"


def test_referer_added_to_requests_with_and_without_headers():
    mw, _ = build(RefererMiddleware)
    page = "http://a.example/caf\u00e9?q=1#top"
    bare, other = mw.process_spider_output(
        Response(page), [Request("http://a.example/x", encoding="latin1"), Request("http://a.example/y", headers={"X": "1"})]
    )
    # Encoded as any header value of the request: with the request's encoding.
    assert bare.headers.getlist("referer") == [b"http://a.example/caf\xe9?q=1"]
    assert isinstance(bare.headers, Headers)
    assert bare.headers.encoding == "latin1"
    assert dict(other.headers) == {b"X": [b"1"], b"Referer": [b"http://a.example/caf\xc3\xa9?q=1"]}
    bare.headers["Accept"] = "text/html"  # the headers made late behave as any other
    assert bare.headers.to_unicode_dict() == {"Referer": "http://a.example/caf\xe9?q=1", "Accept": "text/html"}


def test_disabled():
    with pytest.raises(NotConfigured):
        build(RefererMiddleware, {"REFERER_ENABLED": False})


def test_setting_import_path_class_and_token_list():
    path = f"{referer.__name__}.UnsafeUrlPolicy"
    assert RefererMiddleware(Settings({"REFERRER_POLICY": path})).default_policy is UnsafeUrlPolicy
    assert RefererMiddleware(Settings({"REFERRER_POLICY": UnsafeUrlPolicy})).default_policy is UnsafeUrlPolicy
    tokens = "unknown, same-origin,strict-origin-when-cross-origin , other-unknown"
    assert RefererMiddleware(Settings({"REFERRER_POLICY": tokens})).default_policy is StrictOriginWhenCrossOriginPolicy
    with pytest.raises(RuntimeError, match="Could not load referrer policy"):
        RefererMiddleware(Settings({"REFERRER_POLICY": "unknown,also-unknown"}))


@pytest.mark.parametrize(
    ("meta", "header", "expected"),
    [
        ({"referrer_policy": "typo"}, {}, OriginWhenCrossOriginPolicy),
        ({"referrer_policy": "typo"}, {"Referrer-Policy": "unsafe-url"}, OriginWhenCrossOriginPolicy),
        ({}, {"Referrer-Policy": "unsafe-url"}, UnsafeUrlPolicy),
        ({}, {"Referrer-Policy": "unknown"}, OriginWhenCrossOriginPolicy),
        ({}, {"Referrer-Policy": ""}, NoReferrerWhenDowngradePolicy),
    ],
)
def test_policy_precedence(meta, header, expected):
    mw = RefererMiddleware(Settings({"REFERRER_POLICY": "origin-when-cross-origin"}))
    response = Response("http://a.example", headers=header)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert type(mw.policy(response, Request("http://b.example", meta=meta))) is expected


async def test_header_import_paths_refused():
    mw, _ = build(RefererMiddleware, {"REFERRER_POLICY": "no-referrer"})
    response = Response("https://a.example/", headers={"Referrer-Policy": f"{referer.__name__}.UnsafeUrlPolicy"})
    with pytest.warns(RuntimeWarning, match=r"import paths from the response Referrer-Policy header are not allowed"):
        out = await collect(mw.process_spider_output_async(response, as_async([Request("https://a.example/x")])))
    assert "Referer" not in out[0].headers


class PythonOrg(ReferrerPolicy):
    def referrer(self, response_url, request_url):
        return "https://python.org/"


def test_referrer_policies_setting():
    mw = RefererMiddleware(
        Settings(
            {
                "REFERRER_POLICY": "no-referrer",
                "REFERRER_POLICIES": {"no-referrer-when-downgrade": None, "custom": PythonOrg, "": PythonOrg},
            }
        )
    )
    custom = referer_for(mw, "https://a.example/", "https://a.example/x", response_headers={"Referrer-Policy": "custom"})
    assert custom == b"https://python.org/"
    empty = referer_for(mw, "https://a.example/", "https://a.example/x", response_headers={"Referrer-Policy": ""})
    assert empty == b"https://python.org/"
    with pytest.warns(RuntimeWarning, match="Could not load referrer policy 'no-referrer-when-downgrade'"):
        removed = referer_for(
            mw, "https://a.example/", "https://a.example/x", response_headers={"Referrer-Policy": "no-referrer-when-downgrade"}
        )
    assert removed is None


def test_policy_argument_forms():
    mw, _ = build(RefererMiddleware)
    request = Request("http://example.com")
    response = Response("http://example.com")
    with pytest.warns(ScrapyDeprecationWarning, match="Passing 'resp_or_url' is deprecated"):
        mw.policy(resp_or_url=response, request=request)
    with pytest.warns(ScrapyDeprecationWarning, match=r"Passing a response URL to RefererMiddleware\.policy\(\)"):
        mw.policy("http://old.example", request)
    with pytest.raises(TypeError, match="Cannot pass both"):
        mw.policy(response=response, resp_or_url=response, request=request)
    with pytest.raises(TypeError, match="Missing required argument: 'response'"):
        mw.policy(request=request)
    with pytest.raises(TypeError, match="Missing required argument: 'request'"):
        mw.policy(response=response)


def test_no_settings_constructor_deprecated():
    with pytest.warns(ScrapyDeprecationWarning, match="without a 'settings' argument"):
        assert RefererMiddleware().default_policy is DefaultReferrerPolicy


def test_start_requests_untouched():
    mw, _ = build(RefererMiddleware)
    request = Request("http://example.com")
    assert mw.get_processed_request(request, None) is request
    assert "Referer" not in request.headers


def test_a_late_made_referer_is_replaced_or_kept_as_headers_would_be():
    mw, _ = build(RefererMiddleware)
    (replaced,) = mw.process_spider_output(Response("http://a.example/"), [Request("http://a.example/x")])
    replaced.headers = {"X": "1"}  # assigning headers replaces all of them, the Referer too
    assert dict(replaced.headers) == {b"X": [b"1"]}
    (again,) = mw.process_spider_output(Response("http://a.example/"), [Request("http://a.example/y")])
    (twice,) = mw.process_spider_output(Response("http://b.example/"), [again])
    assert twice.headers.getlist("Referer") == [b"http://a.example/"]  # setdefault: the first stays
    copied = twice.replace(url="http://a.example/z")
    assert copied.headers.getlist("Referer") == [b"http://a.example/"]
    assert copied.to_dict()["headers"] == {b"Referer": [b"http://a.example/"]}


def test_a_policy_may_give_the_referrer_as_bytes():
    from ascrapy.http import Response
    from ascrapy.middleware.spider.referer import NoReferrerWhenDowngradePolicy, RefererMiddleware

    class BytesPolicy(NoReferrerWhenDowngradePolicy):
        def referrer(self, response_url, request_url):
            return b"http://referrer.example/"

    mw, _ = build(RefererMiddleware, {"REFERRER_POLICY": BytesPolicy})
    response = Response("http://example.com/")
    request = mw.get_processed_request(Request("http://example.com/next"), response)
    assert request.headers.get("Referer") == b"http://referrer.example/"
