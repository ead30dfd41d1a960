"""HTTP headers: a dict of title-cased bytes names to lists of bytes values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from w3lib.http import headers_dict_to_raw

HeadersInit = Mapping[str, Any] | Mapping[bytes, Any] | Iterable[tuple[str | bytes, Any]]


class Headers(dict):
    """Case-insensitive, multi-valued HTTP headers.

    Keys are stored title-cased as bytes (``b"Content-Type"``), values as lists of
    bytes. Item access returns the last value, :meth:`getlist` all of them, as in
    Scrapy, so middlewares written for Scrapy read and write headers unchanged.
    """

    __slots__ = ("encoding",)

    def __init__(self, seq: HeadersInit | None = None, encoding: str = "utf-8"):
        self.encoding: str = encoding
        super().__init__()
        if seq:
            self.update(seq)

    @classmethod
    def _from_raw(cls, pairs: Iterable[tuple[bytes, bytes]], encoding: str = "utf-8") -> Headers:
        """Headers from raw ``(name, value)`` bytes pairs as they came on the wire, in one
        pass (what ``appendlist`` for each pair gives): a response's headers."""
        headers = cls.__new__(cls)
        headers.encoding = encoding
        for name, value in pairs:
            name = name.title()
            values = dict.get(headers, name)
            if values is None:
                dict.__setitem__(headers, name, [value])
            else:
                values.append(value)
        return headers

    @classmethod
    def _of_one(cls, name: bytes, value: bytes, encoding: str) -> Headers:
        """Headers holding one header already in stored form (a title-cased bytes name and a
        bytes value), built without normalising again: some middlewares add one to every
        request."""
        headers = cls.__new__(cls)
        headers.encoding = encoding
        dict.__setitem__(headers, name, [value])
        return headers

    # -- normalisation ---------------------------------------------------------

    def normkey(self, key: str | bytes) -> bytes:
        """The stored form of a header name: title-cased bytes."""
        key = key.title()
        return key if isinstance(key, bytes) else key.encode(self.encoding)

    def normvalue(self, value: Any) -> list[bytes]:
        """The stored form of a value: a new list of bytes (None is no value)."""
        if value is None:
            return []
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            return [self._tobytes(value)]
        return [self._tobytes(item) for item in value]

    def _tobytes(self, value: Any) -> bytes:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode(self.encoding)
        if isinstance(value, int):
            return str(value).encode(self.encoding)
        raise TypeError(f"Unsupported value type: {type(value)}")

    # -- dict interface, keyed case-insensitively --------------------------------

    def __getitem__(self, key: str | bytes) -> bytes | None:
        values = dict.__getitem__(self, self.normkey(key))
        return values[-1] if values else None

    def __setitem__(self, key: str | bytes, value: Any) -> None:
        dict.__setitem__(self, self.normkey(key), self.normvalue(value))

    def __delitem__(self, key: str | bytes) -> None:
        dict.__delitem__(self, self.normkey(key))

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, self.normkey(key))  # type: ignore[arg-type]

    has_key = __contains__

    def get(self, key: str | bytes, def_val: Any = None) -> bytes | None:
        values = dict.get(self, self.normkey(key))
        if values is None:
            values = self.normvalue(def_val)
        return values[-1] if values else None

    def pop(self, key: str | bytes, *args: Any) -> Any:
        return dict.pop(self, self.normkey(key), *args)

    def setdefault(self, key: str | bytes, def_val: Any = None) -> Any:
        return dict.setdefault(self, self.normkey(key), self.normvalue(def_val))

    def update(self, seq: HeadersInit) -> None:  # type: ignore[override]
        """Add ``seq``'s headers; repeated names in ``seq`` accumulate their values."""
        pairs = seq.items() if isinstance(seq, Mapping) else seq
        merged: dict[bytes, list[bytes]] = {}
        for key, value in pairs:
            merged.setdefault(self.normkey(key), []).extend(self.normvalue(value))
        dict.update(self, merged)

    @classmethod
    def fromkeys(cls, keys: Iterable[str | bytes], value: Any = None) -> Headers:  # type: ignore[override]
        return cls((key, value) for key in keys)

    # -- multi-value access ------------------------------------------------------

    def getlist(self, key: str | bytes, def_val: Any = None) -> list[bytes]:
        """All values of a header (the stored list itself), or ``def_val`` normalised."""
        try:
            return dict.__getitem__(self, self.normkey(key))
        except KeyError:
            return self.normvalue(def_val) if def_val is not None else []

    def setlist(self, key: str | bytes, list_: Iterable[Any]) -> None:
        self[key] = list_

    def setlistdefault(self, key: str | bytes, default_list: Iterable[Any] = ()) -> Any:
        return self.setdefault(key, default_list)

    def appendlist(self, key: str | bytes, value: Any) -> None:
        values = self.normvalue(value)
        dict.setdefault(self, self.normkey(key), []).extend(values)

    def items(self) -> Iterable[tuple[bytes, list[bytes]]]:  # type: ignore[override]
        return ((key, dict.__getitem__(self, key)) for key in self.keys())

    def values(self) -> list[bytes | None]:  # type: ignore[override]
        return [values[-1] if values else None for values in dict.values(self)]

    # -- conversions ---------------------------------------------------------------

    def to_string(self) -> bytes:
        """The raw ``Name: value\\r\\n`` block, one line per value."""
        return headers_dict_to_raw(self)

    def to_unicode_dict(self) -> Any:
        """A case-insensitive dict of str names to str values (several joined with ',')."""
        from ascrapy.utils.datatypes import CaseInsensitiveDict  # noqa: PLC0415

        enc = self.encoding
        return CaseInsensitiveDict(
            (key.decode(enc), b",".join(values).decode(enc)) for key, values in self.items()
        )

    def to_tuple_list(self) -> list[tuple[str, str]]:
        """``(name, value)`` str pairs, one per value."""
        enc = self.encoding
        return [(key.decode(enc), value.decode(enc)) for key, values in self.items() for value in values]

    def __copy__(self) -> Headers:
        return self.__class__(self, encoding=self.encoding)

    copy = __copy__
