"""Requests as bytes for a shared Redis: JSON by default, pickle only when asked for by name.

JSON, because a Redis that many pods share is a network service: unpickling what it holds
would run whatever code was put there. A request becomes a compact JSON object (defaults
left out, callbacks by name, a same-site Referer as its path), with bytes kept exactly:
header names and values and the body as Latin-1 text (one character per byte), bytes and
tuples inside meta and cb_kwargs tagged.
A request whose meta or cb_kwargs holds anything else (an object, a set, a function) cannot
be shared; the frontier keeps it in the worker's memory instead, and counts it.

SCHEDULER_SERIALIZER names a module (or object) with ``dumps``/``loads`` to use instead, for
example ``"scrapy_redis.picklecompat"`` or ``"pickle"`` to take over a queue scrapy-redis
left (it pickles ``Request.to_dict()``). Pickled data met without that setting stops the
crawl with an error naming it; the request stays in Redis.
"""

from __future__ import annotations

import json
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from ascrapy.utils.misc import load_object
from ascrapy.utils.request import request_from_dict

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.spiders import Spider

_PICKLE_MARK = b"\x80"  # every pickle of protocol 2 or later starts with PROTO


class UnserializableRequest(ValueError):
    """The request holds a value JSON cannot carry exactly."""


class PickledDataError(RuntimeError):
    """The Redis queue holds pickled requests and pickle was not asked for."""


class Serializer(Protocol):
    def dumps(self, value: Any) -> bytes: ...

    def loads(self, data: bytes) -> Any: ...


def _tagged(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__bytes__": value.decode("latin-1")}
    if isinstance(value, tuple):
        return {"__tuple__": list(value)}
    raise UnserializableRequest(f"{type(value).__name__} value cannot be stored as JSON: {value!r}")


def _untagged(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "__bytes__" in obj:
            return obj["__bytes__"].encode("latin-1")
        if "__tuple__" in obj:
            return tuple(obj["__tuple__"])
    return obj


_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_tagged, check_circular=False)
_decoder = json.JSONDecoder(object_hook=_untagged)


def _tuples_tagged(value: Any) -> Any:
    """JSON turns tuples into lists silently (``default`` never sees them): tag them first."""
    if isinstance(value, tuple):
        return {"__tuple__": [_tuples_tagged(item) for item in value]}
    if isinstance(value, list):
        return [_tuples_tagged(item) for item in value]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise UnserializableRequest(f"a {type(key).__name__} key cannot be stored as JSON: {key!r}")
        return {key: _tuples_tagged(item) for key, item in value.items()}
    return value


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``; empty when nothing follows it."""
    start = url.find("://")
    end = url.find("/", start + 3) if start > 0 else -1
    return url[:end] if end > 0 else ""


def _referer_path(url: str, headers: dict[bytes, list[bytes]]) -> str | None:
    """The Referer's path when it is the request's only header and names the same site.

    RefererMiddleware gives nearly every request of a crawl that header, and the site's
    address in it is the request's own: stored once, a queued request is a third smaller.
    """
    if len(headers) != 1 or len(values := headers.get(b"Referer") or []) != 1:
        return None
    origin = _origin(url)
    referer = values[0].decode("latin-1")
    if origin and referer.startswith(origin) and referer[len(origin):len(origin) + 1] == "/":
        return referer[len(origin):]
    return None


class RequestCodec:
    """Request <-> bytes for one spider (callbacks are its methods, stored by name)."""

    def __init__(self, spider: Spider | None, serializer: Serializer | None = None, setting: str = "") -> None:
        self.spider = spider
        self.serializer = serializer
        self.setting = setting

    @classmethod
    def from_settings(cls, settings: Any, spider: Spider | None) -> RequestCodec:
        name = settings.get("SCHEDULER_SERIALIZER")
        if not name:
            return cls(spider)
        if not isinstance(name, str):
            return cls(spider, name, repr(name))
        try:  # a module with dumps and loads, as scrapy-redis takes it ("pickle", ...)
            serializer = import_module(name)
        except ImportError:
            serializer = load_object(name)
        return cls(spider, serializer, name)

    def dumps(self, request: Request) -> bytes:
        if self.serializer is not None:
            return self.serializer.dumps(request.to_dict(spider=self.spider))
        d = request.to_dict(spider=self.spider)
        out: dict[str, Any] = {"u": d["url"]}
        for key, short, default in _FIELDS:
            value = d.get(key, default)
            if value != default:
                out[short] = value
        headers = d.get("headers")
        if headers and (path := _referer_path(d["url"], headers)) is not None:
            out["r"] = path
        elif headers:
            out["h"] = [[name.decode("latin-1"), [v.decode("latin-1") for v in values]]
                        for name, values in headers.items()]
        body = d.get("body")
        if body:
            out["b"] = body.decode("latin-1")
        for key, short in (("meta", "meta"), ("cb_kwargs", "kw"), ("cookies", "ck")):
            value = d.get(key)
            if value:
                out[short] = _tuples_tagged(value)
        if "_class" in d:
            out["cls"] = d["_class"]
        return _encoder.encode(out).encode("utf-8")

    def loads(self, data: bytes) -> Request:
        if self.serializer is not None:
            return request_from_dict(self.serializer.loads(data), spider=self.spider)
        if data[:1] == _PICKLE_MARK:
            raise PickledDataError(
                "The Redis queue holds pickled requests (written by scrapy-redis, or with "
                "SCHEDULER_SERIALIZER set): set SCHEDULER_SERIALIZER = "
                "'scrapy_redis.picklecompat' (or 'pickle') to read them. Pickle runs code "
                "from the data: only for a Redis that only trusted writers reach."
            )
        out = _decoder.decode(data.decode("utf-8"))
        d: dict[str, Any] = {"url": out["u"]}
        for key, short, default in _FIELDS:
            d[key] = out.get(short, default)
        if "r" in out:
            d["headers"] = {b"Referer": [(_origin(out["u"]) + out["r"]).encode("latin-1")]}
        elif "h" in out:
            d["headers"] = {name.encode("latin-1"): [v.encode("latin-1") for v in values] for name, values in out["h"]}
        if "b" in out:
            d["body"] = out["b"].encode("latin-1")
        for key, short in (("meta", "meta"), ("cb_kwargs", "kw"), ("cookies", "ck")):
            if short in out:
                d[key] = out[short]
        if "cls" in out:
            d["_class"] = out["cls"]
        return request_from_dict(d, spider=self.spider)


# (Request.to_dict key, JSON key, default left out) for the plain fields.
_FIELDS: list[tuple[str, str, Any]] = [
    ("callback", "cb", None),
    ("errback", "eb", None),
    ("method", "m", "GET"),
    ("encoding", "e", "utf-8"),
    ("priority", "p", 0),
    ("dont_filter", "df", False),
    ("flags", "f", []),
]
