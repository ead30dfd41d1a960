"""The Redis frontier's request codec: compact JSON that gives back the same request, byte for byte."""

from __future__ import annotations

import json

import pytest

import ascrapy
from ascrapy.redis.codec import PickledDataError, RequestCodec


class Pages(ascrapy.Spider):
    name = "pages"

    def parse(self, response):
        pass

    def failed(self, failure):
        pass


def round_trip(request: ascrapy.Request) -> tuple[dict, ascrapy.Request]:
    codec = RequestCodec(Pages())
    data = codec.dumps(request)
    return json.loads(data), codec.loads(data)


def test_a_same_site_referer_is_stored_as_its_path_and_comes_back_whole():
    request = ascrapy.Request("http://example.com:8080/page/7?q=1", headers={"Referer": "http://example.com:8080/page/1"})
    stored, back = round_trip(request)
    assert stored["r"] == "/page/1" and "h" not in stored
    assert back.headers.getlist("Referer") == [b"http://example.com:8080/page/1"]
    assert list(back.headers) == [b"Referer"]


@pytest.mark.parametrize("headers", [
    {"Referer": "http://other.org/page/1"},  # another site
    {"Referer": "http://example.com.evil.org/page/1"},  # the site's name is only a prefix
    {"Referer": "http://example.com"},  # no path after the site
    {"Referer": "https://example.com/page/1"},  # another scheme
    {"Accept": "text/html", "Referer": "http://example.com/page/1"},  # more headers: their order kept
])
def test_other_headers_are_stored_as_they_are(headers):
    stored, back = round_trip(ascrapy.Request("http://example.com/page/7", headers=headers))
    assert "r" not in stored
    assert [(name, back.headers.getlist(name)) for name in back.headers] == [
        (name.encode(), [value.encode()]) for name, value in headers.items()]


def test_bytes_and_tuples_come_back_exactly():
    request = ascrapy.Request(
        "http://example.com/form", method="POST", body=b"\x00\xffbody", callback=Pages().parse,
        errback=Pages().failed, priority=3, headers={"Referer": "http://example.com/\xe9".encode("latin-1")},
        meta={"raw": b"\x80\x81", "pair": (1, (2, "x"))}, cb_kwargs={"page": 7}, dont_filter=True,
    )
    stored, back = round_trip(request)
    assert stored["r"] == "/\xe9"
    assert back.body == b"\x00\xffbody" and back.method == "POST" and back.priority == 3 and back.dont_filter
    assert back.headers.getlist("Referer") == ["http://example.com/\xe9".encode("latin-1")]
    assert back.meta["raw"] == b"\x80\x81" and back.meta["pair"] == (1, (2, "x"))
    assert back.cb_kwargs == {"page": 7}
    assert back.callback.__name__ == "parse" and back.errback.__name__ == "failed"


def test_pickled_data_is_refused_without_the_setting():
    import pickle

    data = pickle.dumps(ascrapy.Request("http://example.com/").to_dict())
    with pytest.raises(PickledDataError, match="SCHEDULER_SERIALIZER"):
        RequestCodec(Pages()).loads(data)
