"""Language helpers."""

import functools
import re

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.python import (
    MutableAsyncChain,
    _looks_like_import_path,
    binary_is_text,
    equal_attributes,
    flatten,
    get_func_args,
    get_spec,
    global_object_name,
    is_listlike,
    memoizemethod_noargs,
    re_rsearch,
    to_bytes,
    to_unicode,
    unique,
    without_none_values,
)


def test_to_unicode_and_to_bytes():
    assert to_unicode(b"\xc2\xa3") == "£"
    assert to_unicode(b"\xa3", "latin1") == "£"
    assert to_unicode(b"a\xffb", errors="replace") == "a\ufffdb"
    assert to_bytes("£") == b"\xc2\xa3"
    assert to_bytes("£", "latin1") == b"\xa3"
    with pytest.raises(TypeError, match="to_unicode must receive a bytes or str object, got int"):
        to_unicode(1)
    with pytest.raises(TypeError, match="to_bytes must receive a str or bytes object, got int"):
        to_bytes(1)


def test_is_listlike_flatten_unique():
    assert not is_listlike("ab") and not is_listlike(b"ab") and is_listlike(x for x in [])
    assert flatten([1, [2, (3, "ab")], []]) == [1, 2, 3, "ab"]
    assert unique([3, 1, 3, 2, 1]) == [3, 1, 2]
    assert unique(["a", "A", "b"], key=str.lower) == ["a", "b"]


def test_memoizemethod_noargs_caches_per_instance():
    class Thing:
        calls = 0

        @memoizemethod_noargs
        def value(self):
            Thing.calls += 1
            return object()

    a, b = Thing(), Thing()
    assert a.value() is a.value()
    assert a.value() is not b.value()
    assert Thing.calls == 2


@pytest.mark.parametrize(
    ("data", "expected"), [(b"text\t\r\n\0", True), ("hé".encode("utf-16"), True), (b"\x01\xa3", False)]
)
def test_binary_is_text(data, expected):
    assert binary_is_text(data) is expected


def test_binary_is_text_needs_bytes():
    with pytest.raises(TypeError, match="data must be bytes, got 'str'"):
        binary_is_text("x")


def test_get_func_args():
    def function(a, b=1, *, c=2):
        pass

    class Callable:
        def __call__(self, x, y):
            pass

        def method(self, z):
            pass

    assert get_func_args(function) == ["a", "b", "c"]
    assert get_func_args(functools.partial(function, 1)) == ["b", "c"]
    assert get_func_args(functools.partial(function, b=2)) == ["a", "c"]
    assert get_func_args(Callable()) == ["x", "y"]
    assert get_func_args(Callable().method) == ["z"]
    assert get_func_args(str.split, stripself=True) == ["sep", "maxsplit"]
    with pytest.raises(TypeError, match="func must be callable, got 'int'"):
        get_func_args(1)


def test_get_spec():
    def function(a, b, c=3):
        pass

    assert get_spec(function) == (["a", "b"], {"c": 3})
    with pytest.raises(TypeError, match="is not callable"):
        get_spec(1)


def test_without_none_values_keeps_the_container_type():
    assert without_none_values((1, None, 2)) == (1, 2)
    assert without_none_values({"a": None, "b": 0}) == {"b": 0}


def test_global_object_name():
    assert global_object_name(re.compile) == "re.compile"


def test_equal_attributes():
    class Obj:
        def __init__(self, x, y):
            self.x, self.y = x, y

    assert equal_attributes(Obj(1, 2), Obj(1, 3), ["x"])
    assert not equal_attributes(Obj(1, 2), Obj(1, 3), ["x", lambda o: o.y])
    assert not equal_attributes(Obj(1, 2), Obj(1, 2), [])


def test_re_rsearch_finds_the_last_match():
    text = "a1 " * 2000 + "b2 " + "c " * 1000
    with pytest.warns(ScrapyDeprecationWarning):
        start, end = re_rsearch(r"[ab]\d", text, chunk_size=1)
    assert text[start:end] == "b2"
    with pytest.warns(ScrapyDeprecationWarning):
        assert re_rsearch("zz", text) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("pkg.mod.Name", True), ("pkg", True), ("pkg.", False), ("1pkg", False), ("a b", False), ("", False)],
)
def test_looks_like_import_path(value, expected):
    assert _looks_like_import_path(value) is expected


async def test_mutable_async_chain_extends_while_iterating():
    async def numbers(*values):
        for value in values:
            yield value

    chain = MutableAsyncChain(numbers(1, 2), [3])
    seen = [await anext(chain)]
    chain.extend(numbers(4), [5])
    seen += [value async for value in chain]
    assert seen == [1, 2, 3, 4, 5]
