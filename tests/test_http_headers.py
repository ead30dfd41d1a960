"""Headers: case-insensitive, multi-valued, bytes in and out."""

import copy
import pickle

import pytest

from ascrapy.http import Headers
from ascrapy.utils.datatypes import CaseInsensitiveDict


def test_keys_are_title_cased_bytes_and_lookup_ignores_case():
    headers = Headers({"content-TYPE": "text/html"})
    assert list(headers.keys()) == [b"Content-Type"]
    assert headers[b"CONTENT-type"] == b"text/html"
    assert "content-type" in headers
    assert b"Content-Length" not in headers


def test_item_access_gives_last_value_getlist_gives_all():
    headers = Headers([("Set-Cookie", "a=1"), ("set-cookie", "b=2")])
    assert headers["Set-Cookie"] == b"b=2"
    assert headers.getlist("Set-Cookie") == [b"a=1", b"b=2"]
    assert headers.values() == [b"b=2"]
    assert dict(headers.items()) == {b"Set-Cookie": [b"a=1", b"b=2"]}


def test_missing_header_raises_on_item_access_only():
    headers = Headers()
    with pytest.raises(KeyError):
        headers["Accept"]
    assert headers.get("Accept") is None
    assert headers.get("Accept", "text/html") == b"text/html"
    assert headers.getlist("Accept") == []
    assert headers.getlist("Accept", ["a", "b"]) == [b"a", b"b"]


def test_values_are_encoded_with_the_headers_encoding():
    assert Headers({"X": "\xa3"}).getlist("X") == [b"\xc2\xa3"]
    assert Headers({"X": "\xa3"}, encoding="latin1").getlist("X") == [b"\xa3"]
    assert Headers({"X": 42}).getlist("X") == [b"42"]


def test_unsupported_value_type_is_rejected():
    with pytest.raises(TypeError, match="Unsupported value type"):
        Headers({"X": 1.5})
    with pytest.raises(TypeError, match="Unsupported value type"):
        Headers().appendlist("X", [object()])


def test_none_value_stores_an_empty_list():
    headers = Headers({"X": "1"})
    headers["X"] = None
    assert "X" in headers
    assert headers["X"] is None
    assert headers.getlist("X") == []


def test_setdefault_returns_the_stored_list():
    headers = Headers()
    stored = headers.setdefault("X-Forwarded-For", ["ip1"])
    stored.append(b"ip2")
    assert headers.getlist("x-forwarded-for") == [b"ip1", b"ip2"]
    assert headers.setdefault("X-Forwarded-For", "other") is stored


def test_setlist_appendlist_setlistdefault():
    headers = Headers({"A": "1"})
    headers.appendlist("a", "2")
    headers.appendlist("b", ["3", "4"])
    headers.setlistdefault("a", ["ignored"])
    headers.setlistdefault("c", ["5"])
    headers.setlist("d", [b"6", 7])
    assert dict(headers.items()) == {
        b"A": [b"1", b"2"],
        b"B": [b"3", b"4"],
        b"C": [b"5"],
        b"D": [b"6", b"7"],
    }


def test_update_and_pop_and_delete():
    headers = Headers()
    headers.update([("A", "1"), ("a", "2"), ("B", ["3"])])
    assert headers.getlist("A") == [b"1", b"2"]
    assert headers.pop("b") == [b"3"]
    assert headers.pop("b", "gone") == "gone"
    del headers["a"]
    assert not headers


def test_copy_does_not_share_value_lists():
    original = Headers({"A": ["1", "2"]}, encoding="latin1")
    for duplicate in (original.copy(), copy.copy(original), Headers(original)):
        assert duplicate == original
        assert isinstance(duplicate, Headers)
        assert duplicate.getlist("A") is not original.getlist("A")
    assert original.copy().encoding == "latin1"


def test_headers_from_raw_pairs_as_appendlist_builds_them():
    pairs = [(b"content-type", b"text/html"), (b"Set-Cookie", b"a=1"), (b"SET-COOKIE", b"b=2"), (b"x-empty", b"")]
    appended = Headers()
    for name, value in pairs:
        appended.appendlist(name, value)
    built = Headers._from_raw(pairs)
    assert list(built.items()) == list(appended.items())
    assert built.getlist("set-cookie") == [b"a=1", b"b=2"]
    assert built.encoding == "utf-8"


def test_headers_are_slotted():
    # No __dict__: a request's headers cost only the dict itself and its lists.
    headers = Headers({"A": "1"}, encoding="latin1")
    assert not hasattr(headers, "__dict__")
    with pytest.raises(AttributeError):
        headers.anything = 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(headers)) == headers
    assert pickle.loads(pickle.dumps(headers)).encoding == "latin1"


def test_fromkeys():
    headers = Headers.fromkeys(["a", "b"], "v")
    assert dict(headers.items()) == {b"A": [b"v"], b"B": [b"v"]}


def test_to_string_and_tuple_list():
    headers = Headers([("Accept", "a"), ("X-Multi", ["1", "2"])])
    assert headers.to_string() == b"Accept: a\r\nX-Multi: 1\r\nX-Multi: 2"
    assert headers.to_tuple_list() == [("Accept", "a"), ("X-Multi", "1"), ("X-Multi", "2")]


def test_to_unicode_dict_joins_values_and_ignores_case():
    headers = Headers([("Accept", "a"), ("X-Multi", ["1", "2"])])
    converted = headers.to_unicode_dict()
    assert isinstance(converted, CaseInsensitiveDict)
    assert converted["x-multi"] == "1,2"
    assert converted["ACCEPT"] == "a"
