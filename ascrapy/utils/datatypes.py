"""Containers the standard library lacks (scrapy.utils.datatypes)."""

from __future__ import annotations

import collections
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Container, Iterable, Mapping
from typing import Any, Self, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning

__all__ = [
    "CaseInsensitiveDict",
    "CaselessDict",
    "LocalCache",
    "LocalWeakReferencedCache",
    "SequenceExclude",
]

_KT = TypeVar("_KT")
_VT = TypeVar("_VT")


class CaseInsensitiveDict(collections.UserDict):
    """A dict of str or bytes keys looked up regardless of case.

    Keys keep the case they were stored with (iteration and repr show it); a second
    key that differs only in case replaces the first. Subclasses can change how keys
    and values are stored through ``_normkey`` and ``_normvalue``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # lower-cased key -> the key as stored in self.data
        self._keys: dict[str | bytes, str | bytes] = {}
        super().__init__(*args, **kwargs)

    def __getitem__(self, key: str | bytes) -> Any:
        return self.data[self._keys[self._normkey(key).lower()]]

    def __setitem__(self, key: str | bytes, value: Any) -> None:
        key = self._normkey(key)
        folded = key.lower()
        stored = self._keys.get(folded)
        if stored is not None:  # re-set keys move to the end, as in Scrapy
            del self.data[stored]
        self.data[key] = self._normvalue(value)
        self._keys[folded] = key

    def __delitem__(self, key: str | bytes) -> None:
        del self.data[self._keys.pop(self._normkey(key).lower())]

    def __contains__(self, key: object) -> bool:
        try:
            return self._normkey(key).lower() in self._keys  # type: ignore[arg-type]
        except AttributeError:  # not a str or bytes: never a key
            return False

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.data!r}>"

    def __copy__(self) -> Self:
        # UserDict's copy would share self._keys and run values through _normvalue again.
        clone = type(self)()
        clone.data = self.data.copy()
        clone._keys = self._keys.copy()
        return clone

    copy = __copy__

    def __ior__(self, other: Any) -> Self:  # type: ignore[misc]
        # UserDict's |= writes to self.data directly, bypassing the key index.
        self.update(other)
        return self

    def _normkey(self, key: str | bytes) -> str | bytes:
        return key

    def _normvalue(self, value: Any) -> Any:
        return value


class CaselessDict(dict):
    """Deprecated (removed in Scrapy 2.19): a dict whose keys are stored lower-cased.

    Kept so that code written for older Scrapy still imports and runs; new code uses
    :class:`CaseInsensitiveDict`.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        warnings.warn(
            "scrapy.utils.datatypes.CaselessDict is deprecated, please use "
            "scrapy.utils.datatypes.CaseInsensitiveDict instead",
            category=ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, seq: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None):
        super().__init__()
        if seq:
            self.update(seq)

    def __getitem__(self, key: Any) -> Any:
        return dict.__getitem__(self, self.normkey(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, self.normkey(key), self.normvalue(value))

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, self.normkey(key))

    def __contains__(self, key: Any) -> bool:
        return dict.__contains__(self, self.normkey(key))

    has_key = __contains__

    def __copy__(self) -> Self:
        return type(self)(self)

    copy = __copy__

    def normkey(self, key: Any) -> Any:
        """How a key is stored: lower-cased."""
        return key.lower()

    def normvalue(self, value: Any) -> Any:
        """How a value is stored: unchanged."""
        return value

    def get(self, key: Any, def_val: Any = None) -> Any:
        return dict.get(self, self.normkey(key), self.normvalue(def_val))

    def setdefault(self, key: Any, def_val: Any = None) -> Any:
        return dict.setdefault(self, self.normkey(key), self.normvalue(def_val))

    def update(self, seq: Any = None, **kwargs: Any) -> None:  # type: ignore[override]
        pairs = seq.items() if isinstance(seq, Mapping) else (seq or ())
        dict.update(self, ((self.normkey(k), self.normvalue(v)) for k, v in pairs))
        for k, v in kwargs.items():
            self[k] = v

    @classmethod
    def fromkeys(cls, keys: Iterable[Any], value: Any = None) -> Self:
        return cls((k, value) for k in keys)

    def pop(self, key: Any, *args: Any) -> Any:
        return dict.pop(self, self.normkey(key), *args)


class LocalCache(OrderedDict[_KT, _VT]):
    """A dict that keeps at most ``limit`` keys, forgetting the oldest first."""

    def __init__(self, limit: int | None = None):
        super().__init__()
        self.limit: int | None = limit

    def __setitem__(self, key: _KT, value: _VT) -> None:
        limit = self.limit
        if limit is not None and key not in self:
            if limit <= 0:
                return
            while len(self) >= limit:
                self.popitem(last=False)
        super().__setitem__(key, value)


class LocalWeakReferencedCache(weakref.WeakKeyDictionary):
    """A size-limited, ordered cache whose keys are weak references.

    For memoizing on objects (requests, responses) without keeping them alive. Keys that
    cannot be weakly referenced are silently not cached, and looking up a missing or
    unreferenceable key gives None instead of raising.
    """

    def __init__(self, limit: int | None = None):
        super().__init__()
        self.data: LocalCache[Any, Any] = LocalCache(limit=limit)

    def __setitem__(self, key: Any, value: Any) -> None:
        try:
            super().__setitem__(key, value)
        except TypeError:
            pass

    def __getitem__(self, key: Any) -> Any:
        try:
            return super().__getitem__(key)
        except (TypeError, KeyError):
            return None


class SequenceExclude:
    """A container holding everything except what ``seq`` holds."""

    def __init__(self, seq: Container[Any]):
        self.seq: Container[Any] = seq

    def __contains__(self, item: Any) -> bool:
        return item not in self.seq
