import copy
import gc

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request
from ascrapy.utils.datatypes import (
    CaseInsensitiveDict,
    CaselessDict,
    LocalCache,
    LocalWeakReferencedCache,
    SequenceExclude,
)


class TestCaseInsensitiveDict:
    def test_lookup_ignores_case_and_keeps_the_stored_case(self):
        d = CaseInsensitiveDict({"Content-Type": "text/html"})
        assert d["content-type"] == d["CONTENT-TYPE"] == "text/html"
        assert "cOnTeNt-TyPe" in d
        assert list(d) == ["Content-Type"]

    def test_setting_a_key_in_another_case_replaces_it(self):
        d = CaseInsensitiveDict(a=1, b=2)
        d["A"] = 3
        assert dict(d) == {"b": 2, "A": 3}
        assert len(d) == 2

    def test_bytes_keys(self):
        d = CaseInsensitiveDict({b"Key": 1})
        assert d[b"KEY"] == 1
        del d[b"key"]
        assert not d

    def test_delete_get_pop_setdefault(self):
        d = CaseInsensitiveDict({"Key": 1})
        assert d.get("KEY") == 1
        assert d.get("missing", 5) == 5
        assert d.setdefault("kEy", 7) == 1
        assert d.pop("KEY") == 1
        with pytest.raises(KeyError):
            d["key"]
        with pytest.raises(KeyError):
            del d["key"]

    def test_copies_are_independent_and_do_not_renormalize(self):
        class PlusOne(CaseInsensitiveDict):
            def _normvalue(self, value):
                return value + 1

        original = PlusOne({"a": 1})
        for clone in (original.copy(), copy.copy(original)):
            assert type(clone) is PlusOne
            assert clone["A"] == 2
            clone["b"] = 1
            del clone["a"]
        assert dict(original) == {"a": 2}

    def test_normkey_and_normvalue_apply_everywhere(self):
        class Titled(CaseInsensitiveDict):
            def _normkey(self, key):
                return key.title()

        d = Titled()
        d.update({"x-one": 1})
        d |= {"x-two": 2}
        assert list(d) == ["X-One", "X-Two"]
        assert Titled.fromkeys(["a-b"], 0) == {"A-B": 0}

    def test_in_place_or_keeps_the_index(self):
        d = CaseInsensitiveDict({"h": 1})
        d |= CaseInsensitiveDict({"H": 2})
        assert len(d) == 1
        assert d["h"] == 2

    def test_repr(self):
        assert repr(CaseInsensitiveDict({"AsDf": 1})) == "<CaseInsensitiveDict: {'AsDf': 1}>"


def test_caseless_dict_is_deprecated_but_works():
    with pytest.warns(ScrapyDeprecationWarning, match="CaseInsensitiveDict"):
        d = CaselessDict({"Key": 1})
    assert d["KEY"] == 1
    assert list(d) == ["key"]
    assert d.get("kEy") == 1
    assert d.pop("KEY") == 1


class TestLocalCache:
    def test_oldest_key_is_evicted(self):
        cache = LocalCache(limit=2)
        cache["a"], cache["b"], cache["c"] = 1, 2, 3
        assert list(cache) == ["b", "c"]

    def test_updating_a_key_evicts_nothing(self):
        cache = LocalCache(limit=2)
        cache["a"], cache["b"] = 1, 2
        cache["b"] = 20
        assert dict(cache) == {"a": 1, "b": 20}

    def test_zero_limit_stores_nothing_and_no_limit_stores_all(self):
        empty = LocalCache(limit=0)
        empty["a"] = 1
        assert not empty
        unbounded = LocalCache()
        for i in range(1000):
            unbounded[i] = i
        assert len(unbounded) == 1000


class TestLocalWeakReferencedCache:
    def test_limit_and_collection(self):
        cache = LocalWeakReferencedCache(limit=2)
        r1, r2, r3 = Request("http://a"), Request("http://b"), Request("http://c")
        cache[r1], cache[r2], cache[r3] = 1, 2, 3
        assert r1 not in cache
        assert cache[r1] is None
        assert cache[r3] == 3
        del r2
        gc.collect()
        assert len(cache) == 1

    def test_unreferenceable_keys_are_not_cached(self):
        cache = LocalWeakReferencedCache()
        cache[[1, 2]] = 1
        cache[None] = 2
        assert len(cache) == 0
        assert cache[[1, 2]] is None


def test_sequence_exclude():
    excluded = SequenceExclude(range(200, 300))
    assert 404 in excluded
    assert 250 not in excluded
    assert "c" not in SequenceExclude("cde")
    assert "a" in SequenceExclude({"c", "d"})
