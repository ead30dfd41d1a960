"""Request: what a spider asks the engine to download.

``Request.__init__`` runs for every link a crawl follows, so it does only what it
must: the URL is made safe (memoised, crawls repeat links), mutable attributes
(meta, cb_kwargs, cookies, flags, headers) stay ``None`` until first read.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn, TypeAlias, TypedDict, TypeVar

from w3lib.url import safe_url_string

from ascrapy.http.headers import Headers
from ascrapy.utils._fasturl import memoize_url_function
from ascrapy.utils.python import to_bytes

CallbackT: TypeAlias = Callable[..., Any]
CookiesT: TypeAlias = dict[Any, Any] | list[dict[str, Any]]
VerboseCookie: TypeAlias = dict[str, Any]
RequestTypeVar = TypeVar("RequestTypeVar", bound="Request")


class RequestOptions(TypedDict, total=False):
    """Request's keyword arguments after url and callback, as ``Response.follow`` and
    ``follow_all`` take them (declared once for all four)."""

    method: str
    headers: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None
    body: bytes | str | None
    cookies: CookiesT | None
    meta: dict[str, Any] | None
    encoding: str | None  # None: the response's own (TextResponse), an error for Response
    priority: int
    dont_filter: bool
    errback: Callable[..., Any] | None
    cb_kwargs: dict[str, Any] | None
    flags: list[str] | None


def NO_CALLBACK(*args: Any, **kwargs: Any) -> NoReturn:  # noqa: N802
    """Callback marker for requests that no spider callback handles (components' own)."""
    raise RuntimeError(
        "The NO_CALLBACK callback has been called. This is a special callback "
        "value intended for requests whose callback is never meant to be "
        "called."
    )


# w3lib's escaping, remembered: the same links appear on many pages of a site.
_safe_url = memoize_url_function(safe_url_string)


class Request:
    """An HTTP request, with the callback that will parse its response."""

    attributes: tuple[str, ...] = (
        "url",
        "headers",
        "body",
        "cookies",
        "meta",
        "encoding",
        "flags",
        "cb_kwargs",
        "callback",
        "dont_filter",
        "errback",
        "method",
        "priority",
    )
    """Public attributes that are also keyword arguments of ``__init__``: what
    :meth:`replace`, :meth:`to_dict` and ``request_from_dict`` carry over."""

    __slots__ = (
        "__weakref__",
        "_body",
        "_cb_kwargs",
        "_cookies",
        "_encoding",
        "_flags",
        "_headers",
        "_meta",
        "_url",
        "callback",
        "dont_filter",
        "errback",
        "method",
        "priority",
    )

    def __init__(
        self,
        url: str,
        callback: CallbackT | None = None,
        method: str = "GET",
        headers: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None,
        body: bytes | str | None = None,
        cookies: CookiesT | None = None,
        meta: dict[str, Any] | None = None,
        encoding: str = "utf-8",
        priority: int = 0,
        dont_filter: bool = False,
        errback: Callable[..., Any] | None = None,
        flags: list[str] | None = None,
        cb_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self._encoding = encoding
        # The literal itself when it is "GET": one string shared by every queued request.
        self.method = "GET" if method == "GET" else str(method).upper()
        self._meta = dict(meta) if meta else None
        self._set_url(url)
        self._set_body(body)
        if not isinstance(priority, int):
            raise TypeError(f"Request priority not an integer: {priority!r}")
        self.priority = priority
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be a callable, got {type(callback).__name__}")
        if errback is not None and not callable(errback):
            raise TypeError(f"errback must be a callable, got {type(errback).__name__}")
        self.callback = callback
        self.errback = errback
        self._cookies = cookies or None
        # None, Headers, or a (name, value) pair waiting to become Headers (see headers)
        self._headers: Headers | tuple[bytes, str] | None = Headers(headers, encoding=encoding) if headers else None
        self.dont_filter = dont_filter
        self._cb_kwargs = dict(cb_kwargs) if cb_kwargs else None
        self._flags = list(flags) if flags else None

    # -- url and body: read-only, set through __init__ or replace() -------------------

    @property
    def url(self) -> str:
        return self._url

    def _set_url(self, url: str) -> None:
        if not isinstance(url, str):
            raise TypeError(f"Request url must be str, got {type(url).__name__}")
        meta = self._meta
        if meta and meta.get("verbatim_url"):
            self._url = url
        else:
            self._url = url = _safe_url(url, self._encoding)
        if "://" not in url and not url.startswith(("about:", "data:")):
            raise ValueError(f"Missing scheme in request url: {url}")

    @property
    def body(self) -> bytes:
        return self._body

    def _set_body(self, body: str | bytes | None) -> None:
        self._body = to_bytes(body, self._encoding) if body else b""

    @property
    def encoding(self) -> str:
        return self._encoding

    # -- lazily created mutable attributes ------------------------------------------------

    @property
    def meta(self) -> dict[str, Any]:
        meta = self._meta
        if meta is None:
            meta = self._meta = {}
        return meta

    @property
    def meta_or_none(self) -> dict[str, Any] | None:
        """The meta dict, or None when the request has none yet. Reading ``meta`` makes an
        empty one; components that only look (most requests have no meta) read this."""
        return self._meta

    @property
    def cb_kwargs(self) -> dict[str, Any]:
        cb_kwargs = self._cb_kwargs
        if cb_kwargs is None:
            cb_kwargs = self._cb_kwargs = {}
        return cb_kwargs

    @property
    def flags(self) -> list[str]:
        flags = self._flags
        if flags is None:
            flags = self._flags = []
        return flags

    @flags.setter
    def flags(self, value: list[str] | None) -> None:
        self._flags = value

    @property
    def cookies(self) -> CookiesT:
        cookies = self._cookies
        if cookies is None:
            cookies = self._cookies = {}
        return cookies

    @cookies.setter
    def cookies(self, value: CookiesT | None) -> None:
        self._cookies = value

    @property
    def headers(self) -> Headers:
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers(encoding=self._encoding)
        elif type(headers) is tuple:  # one header set by _setdefault_header, made on first read
            name, value = headers
            encoding = self._encoding
            headers = self._headers = Headers._of_one(name, value.encode(encoding), encoding)
        return headers  # type: ignore[return-value]

    @headers.setter
    def headers(self, value: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None) -> None:
        if value is None or isinstance(value, Headers):
            self._headers = value
        else:
            self._headers = Headers(value, encoding=self._encoding)

    def _setdefault_header(self, name: bytes, value: Any) -> None:
        """``headers.setdefault(name, value)`` for a title-cased bytes ``name``.

        The RefererMiddleware sets one on every request a callback yields, and most of them
        are duplicates that no one reads again: a request without headers keeps just the
        pair, and its Headers are made when first read."""
        if self._headers is None and type(value) is str:
            self._headers = (name, value)
        else:  # bytes, or anything Headers normalises, goes in at once
            self.headers.setdefault(name, value)

    # -- copies and conversions ----------------------------------------------------------

    def __repr__(self) -> str:
        return f"<{self.method} {self.url}>"

    def copy(self) -> Request:
        return self.replace()

    def replace(self, *args: Any, cls: type[Request] | None = None, **kwargs: Any) -> Request:
        """A new request with the same attributes except the ones given."""
        for name in self.attributes:
            if name not in kwargs:
                kwargs[name] = getattr(self, name)
        return (cls or self.__class__)(*args, **kwargs)

    @classmethod
    def from_curl(cls, curl_command: str, ignore_unknown_options: bool = True, **kwargs: Any) -> Request:
        """A request from a cURL command line; ``kwargs`` override what the command sets."""
        from ascrapy.utils.curl import curl_to_request_kwargs  # noqa: PLC0415

        request_kwargs = curl_to_request_kwargs(curl_command, ignore_unknown_options)
        request_kwargs.update(kwargs)
        return cls(**request_kwargs)

    def to_curl(self) -> str:
        """The cURL command that sends this request (inverse of :meth:`from_curl`)."""
        from ascrapy.http.request.curl import request_to_curl  # noqa: PLC0415

        return request_to_curl(self)

    def to_dict(self, *, spider: Any = None) -> dict[str, Any]:
        """This request as a dict of plain values, for disk queues and caches.

        Callbacks become the names of the ``spider`` methods they are bound to;
        ``ascrapy.utils.request.request_from_dict`` turns the dict back.
        """
        d: dict[str, Any] = {
            "url": self.url,
            "callback": _find_method(spider, self.callback) if callable(self.callback) else self.callback,
            "errback": _find_method(spider, self.errback) if callable(self.errback) else self.errback,
            "headers": dict(self.headers),
        }
        for name in self.attributes:
            if name not in d:
                d[name] = getattr(self, name)
        if type(self) is not Request:
            d["_class"] = f"{self.__module__}.{self.__class__.__name__}"
        return d


def _find_method(obj: Any, func: Callable[..., Any]) -> str:
    """The attribute name under which ``obj`` has the bound method ``func``."""
    target = getattr(func, "__func__", None)
    if obj and target is not None:
        key = (type(obj), target)
        name = _method_names.get(key)
        if name is not None and getattr(getattr(obj, name, None), "__func__", None) is target:
            return name
        for name, member in inspect.getmembers(obj, predicate=inspect.ismethod):
            if member.__func__ is target:
                _method_names[key] = name
                return name
    raise ValueError(f"Function {func} is not an instance method in: {obj}")


# (spider class, function) -> method name: serializing a request to disk (JOBDIR) looks its
# callback up by name, which scans every attribute of the spider (inspect.getmembers).
_method_names: dict[tuple[type, Any], str] = {}


__all__ = ["NO_CALLBACK", "CallbackT", "CookiesT", "Request", "VerboseCookie"]
