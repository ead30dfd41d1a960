"""Request: construction rules, laziness, copies, serialisation; JsonRequest, XmlRpcRequest."""

import json
import warnings
import xmlrpc.client

import pytest

from ascrapy.http import Headers, JsonRequest, Request, XmlRpcRequest
from ascrapy.http.request import NO_CALLBACK
from ascrapy.utils.request import request_from_dict


def test_defaults():
    request = Request("http://example.com")
    assert (request.method, request.body, request.encoding) == ("GET", b"", "utf-8")
    assert (request.priority, request.dont_filter) == (0, False)
    assert request.callback is None and request.errback is None
    assert repr(request) == "<GET http://example.com>"


@pytest.mark.parametrize("url", ["example.com", "/path", "//example.com/x", "foo:bar"])
def test_url_without_scheme_is_rejected(url):
    with pytest.raises(ValueError, match="Missing scheme in request url: "):
        Request(url)


@pytest.mark.parametrize("url", ["about:blank", "data:,hi", "s3://bucket/key", "file:///tmp/x"])
def test_non_http_schemes_are_accepted(url):
    assert Request(url).url == url


def test_url_must_be_str():
    with pytest.raises(TypeError, match="Request url must be str, got bytes"):
        Request(b"http://example.com")


@pytest.mark.parametrize(
    ("url", "encoding", "expected"),
    [
        ("http://example.com/a b", "utf-8", "http://example.com/a%20b"),
        ("http://example.com/£?q=£", "utf-8", "http://example.com/%C2%A3?q=%C2%A3"),
        # the path is always UTF-8, the query uses the request encoding
        ("http://example.com/£?q=£", "latin1", "http://example.com/%C2%A3?q=%A3"),
        ("http://example.com/r%E9sum%E9", "utf-8", "http://example.com/r%E9sum%E9"),
        ("http://EXAMPLE.com/", "utf-8", "http://example.com/"),
    ],
)
def test_url_is_made_safe(url, encoding, expected):
    assert Request(url, encoding=encoding).url == expected


def test_verbatim_url_is_kept_as_given():
    url = "http://example.com/a b?q=£"
    assert Request(url, meta={"verbatim_url": True}).url == url


def test_body_is_encoded_with_the_request_encoding():
    assert Request("http://x.com", body="£").body == b"\xc2\xa3"
    assert Request("http://x.com", body="£", encoding="latin1").body == b"\xa3"
    assert Request("http://x.com", body=b"\xff").body == b"\xff"
    with pytest.raises(TypeError):
        Request("http://x.com", body=123)


def test_method_is_upper_cased():
    assert Request("http://x.com", method="post").method == "POST"


def test_priority_must_be_int():
    with pytest.raises(TypeError, match="Request priority not an integer: '1'"):
        Request("http://x.com", priority="1")


def test_callbacks_must_be_callable():
    with pytest.raises(TypeError, match="callback must be a callable, got str"):
        Request("http://x.com", callback="parse")
    with pytest.raises(TypeError, match="errback must be a callable, got str"):
        Request("http://x.com", errback="handle")
    request = Request("http://x.com", callback=NO_CALLBACK)
    assert request.callback is NO_CALLBACK
    with pytest.raises(RuntimeError):
        NO_CALLBACK()


def test_url_and_body_are_read_only():
    request = Request("http://x.com")
    with pytest.raises(AttributeError):
        request.url = "http://y.com"
    with pytest.raises(AttributeError):
        request.body = b"x"


def test_mutable_attributes_are_created_on_first_read():
    request = Request("http://x.com")
    assert request._meta is None and request._cb_kwargs is None
    assert request._headers is None and request._cookies is None and request._flags is None
    assert request.meta is request.meta
    request.cb_kwargs["a"] = 1
    assert request._cb_kwargs == {"a": 1}
    assert isinstance(request.headers, Headers)
    assert request.cookies == {} and request.flags == []


def test_constructor_copies_its_containers():
    meta, flags, cb_kwargs = {"a": 1}, ["f"], {"k": "v"}
    headers = {"X": "1"}
    request = Request("http://x.com", meta=meta, flags=flags, cb_kwargs=cb_kwargs, headers=headers)
    assert request.meta == meta and request.meta is not meta
    assert request.flags == flags and request.flags is not flags
    assert request.cb_kwargs == cb_kwargs and request.cb_kwargs is not cb_kwargs
    assert request.headers[b"X"] == b"1"


def test_headers_setter_keeps_headers_objects_and_wraps_others():
    request = Request("http://x.com", encoding="latin1")
    headers = Headers({"A": "1"})
    request.headers = headers
    assert request.headers is headers
    request.headers = {"B": "£"}
    assert request.headers.getlist("B") == [b"\xa3"]
    request.headers = None
    assert request._headers is None and request.headers == {}


def test_copy_is_shallow_and_keeps_the_class():
    class MyRequest(Request):
        pass

    original = MyRequest("http://x.com", meta={"m": [1]}, flags=["f"], headers={"A": "1"})
    duplicate = original.copy()
    assert type(duplicate) is MyRequest
    assert duplicate.meta == original.meta and duplicate.meta is not original.meta
    assert duplicate.meta["m"] is original.meta["m"]
    assert duplicate.headers == original.headers and duplicate.headers is not original.headers
    assert duplicate.flags is not original.flags


def test_replace_changes_only_what_is_given():
    original = Request("http://x.com", method="POST", body=b"b", dont_filter=True, priority=3)
    replaced = original.replace(url="http://y.com", dont_filter=False)
    assert (replaced.url, replaced.method, replaced.body) == ("http://y.com", "POST", b"b")
    assert (replaced.dont_filter, replaced.priority) == (False, 3)
    assert isinstance(original.replace(cls=JsonRequest), JsonRequest)


class _Spider:
    def parse_item(self, response):
        pass

    def on_error(self, failure):
        pass


def test_to_dict_round_trip_with_spider_methods():
    spider = _Spider()
    request = Request(
        "http://x.com",
        callback=spider.parse_item,
        errback=spider.on_error,
        method="POST",
        body=b"\xff",
        headers={"A": "1"},
        cookies={"c": "v"},
        meta={"m": 1},
        cb_kwargs={"k": 2},
        encoding="latin1",
        priority=5,
        dont_filter=True,
        flags=["f"],
    )
    d = request.to_dict(spider=spider)
    assert d["callback"] == "parse_item" and d["errback"] == "on_error"
    assert "_class" not in d
    restored = request_from_dict(d, spider=spider)
    for name in Request.attributes:
        assert getattr(restored, name) == getattr(request, name), name


def test_to_dict_rejects_functions_that_are_not_spider_methods():
    request = Request("http://x.com", callback=lambda response: None)
    with pytest.raises(ValueError, match="is not an instance method in: None"):
        request.to_dict()


def test_to_dict_records_subclasses():
    request = JsonRequest("http://x.com", dumps_kwargs={"indent": 2})
    d = request.to_dict()
    assert d["_class"] == "ascrapy.http.request.json_request.JsonRequest"
    restored = request_from_dict(d)
    assert type(restored) is JsonRequest and restored.dumps_kwargs == {"indent": 2, "sort_keys": True}


def test_request_from_dict_reports_missing_spider_methods():
    d = Request("http://x.com").to_dict()
    d["callback"] = "nope"
    with pytest.raises(ValueError, match="Method 'nope' not found in: "):
        request_from_dict(d, spider=_Spider())


def test_to_curl():
    request = Request("http://x.com/p", method="POST", body=b"a=1", headers={"X": "y"}, cookies={"c": "v"})
    assert request.to_curl() == "curl -X POST http://x.com/p --data-raw 'a=1' -H 'X: y' --cookie 'c=v'"


# -- JsonRequest -------------------------------------------------------------------


def test_json_request_serialises_data_and_posts():
    request = JsonRequest("http://x.com", data={"b": 1, "a": [2]})
    assert request.method == "POST"
    assert request.body == b'{"a": [2], "b": 1}'
    assert request.headers["Content-Type"] == b"application/json"
    assert request.headers["Accept"] == b"application/json, text/javascript, */*; q=0.01"


def test_json_request_without_data_is_a_get():
    assert JsonRequest("http://x.com").method == "GET"
    assert JsonRequest("http://x.com", data={"a": 1}, method="PUT").method == "PUT"


def test_json_request_body_wins_over_data_with_a_warning():
    with pytest.warns(UserWarning, match="data will be ignored"):
        request = JsonRequest("http://x.com", body=b"raw", data={"a": 1})
    assert request.body == b"raw" and request.method == "GET"


def test_json_request_dumps_kwargs_apply_on_replace():
    request = JsonRequest("http://x.com", data={"a": 1}, dumps_kwargs={"separators": (",", ":")})
    assert request.body == b'{"a":1}'
    assert request.replace(data={"b": 2}).body == b'{"b":2}'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert request.replace(body=b"x").body == b"x"


def test_json_request_keeps_given_headers():
    request = JsonRequest("http://x.com", headers={"Content-Type": "application/vnd+json"})
    assert request.headers["Content-Type"] == b"application/vnd+json"


# -- XmlRpcRequest ------------------------------------------------------------------


def test_xmlrpc_request_builds_the_call():
    request = XmlRpcRequest("http://x.com/rpc", params=("a", 1), methodname="login")
    assert request.body == xmlrpc.client.dumps(("a", 1), methodname="login").encode()
    assert request.method == "POST" and request.dont_filter is True
    assert request.headers["Content-Type"] == b"text/xml"


def test_xmlrpc_request_encoding():
    request = XmlRpcRequest("http://x.com/rpc", params=("£",), encoding="latin1")
    assert request.encoding == "latin1"
    assert b"\xa3" in request.body


def test_json_data_round_trips():
    data = {"x": [1, "é"]}
    assert json.loads(JsonRequest("http://x.com", data=data).body) == data


def test_long_urls_are_made_safe_too():
    url = "http://x.com/" + "a b" * 1000
    assert Request(url).url == "http://x.com/" + "a%20b" * 1000
    assert Request(url).url == Request(url).url


def test_meta_or_none_reads_meta_without_making_it():
    request = Request("http://x.com")
    assert request.meta_or_none is None
    assert request.meta == {} and request.meta_or_none == {}
    given = Request("http://x.com", meta={"a": 1})
    assert given.meta_or_none is given.meta and given.meta_or_none == {"a": 1}
