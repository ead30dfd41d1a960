"""Response: what a download gave back, handed to the request's callback."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, Unpack
from urllib.parse import urljoin

from ascrapy.exceptions import NotSupported
from ascrapy.http.headers import Headers
from ascrapy.http.request import CallbackT, Request, RequestOptions
from ascrapy.link import Link

ResponseTypeVar = TypeVar("ResponseTypeVar", bound="Response")
HeadersArg = Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None


class Response:
    """A downloaded response; binary. :class:`TextResponse` and its subclasses add text."""

    attributes: tuple[str, ...] = (
        "url",
        "headers",
        "body",
        "flags",
        "status",
        "request",
        "certificate",
        "ip_address",
        "protocol",
    )
    """Public attributes that are also keyword arguments of ``__init__``: what
    :meth:`replace` and :meth:`to_dict` carry over."""

    __slots__ = (
        "__weakref__",
        "_body",
        "_flags",
        "_headers",
        "_url",
        "certificate",
        "ip_address",
        "protocol",
        "request",
        "status",
    )

    def __init__(
        self,
        url: str,
        status: int = 200,
        headers: HeadersArg = None,
        body: bytes = b"",
        flags: list[str] | None = None,
        request: Request | None = None,
        certificate: Any = None,
        ip_address: Any = None,
        protocol: str | None = None,
    ):
        self._headers = Headers(headers) if headers else None
        self.status = int(status)
        self._set_body(body)
        self._set_url(url)
        self.request = request
        self._flags = list(flags) if flags else None
        self.certificate = certificate
        self.ip_address = ip_address
        self.protocol = protocol

    # -- request shortcuts ----------------------------------------------------------

    @property
    def meta(self) -> dict[str, Any]:
        """The meta of the request this response answers."""
        try:
            return self.request.meta  # type: ignore[union-attr]
        except AttributeError:
            raise AttributeError(
                "Response.meta not available, this response is not tied to any request"
            ) from None

    @property
    def cb_kwargs(self) -> dict[str, Any]:
        """The cb_kwargs of the request this response answers."""
        try:
            return self.request.cb_kwargs  # type: ignore[union-attr]
        except AttributeError:
            raise AttributeError(
                "Response.cb_kwargs not available, this response is not tied to any request"
            ) from None

    # -- read-only url and body -------------------------------------------------------

    @property
    def url(self) -> str:
        return self._url

    def _set_url(self, url: str) -> None:
        if not isinstance(url, str):
            raise TypeError(f"{type(self).__name__} url must be str, got {type(url).__name__}")
        self._url = url

    @property
    def body(self) -> bytes:
        return self._body

    def _set_body(self, body: bytes | None) -> None:
        if body is None:
            self._body = b""
        elif isinstance(body, bytes):
            self._body = body
        else:
            raise TypeError(
                "Response body must be bytes. If you want to pass unicode body use "
                "TextResponse or HtmlResponse."
            )

    # -- lazily created mutable attributes ---------------------------------------------

    @property
    def headers(self) -> Headers:
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers()
        return headers

    @headers.setter
    def headers(self, value: HeadersArg) -> None:
        if value is None or isinstance(value, Headers):
            self._headers = value
        else:
            self._headers = Headers(value)

    @property
    def flags(self) -> list[str]:
        flags = self._flags
        if flags is None:
            flags = self._flags = []
        return flags

    @flags.setter
    def flags(self, value: list[str] | None) -> None:
        self._flags = value

    # -- copies and conversions ---------------------------------------------------------

    def __repr__(self) -> str:
        return f"<{self.status} {self.url}>"

    def copy(self) -> Response:
        return self.replace()

    def replace(self, *args: Any, cls: type[Response] | None = None, **kwargs: Any) -> Response:
        """A new response with the same attributes except the ones given."""
        for name in self.attributes:
            if name not in kwargs:
                kwargs[name] = getattr(self, name)
        return (cls or self.__class__)(*args, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """This response as a dict of plain values (no request, no certificate).

        ``ascrapy.utils.response.response_from_dict`` builds it back.
        """
        d: dict[str, Any] = {"headers": dict(self.headers)}
        for name in self.attributes:
            if name not in d and name != "request" and name != "certificate":
                d[name] = getattr(self, name)
        if type(self) is not Response:
            d["_class"] = f"{self.__module__}.{self.__class__.__name__}"
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Response:
        """A response of this class from a :meth:`to_dict` dict."""
        return cls(**{key: value for key, value in d.items() if key != "_class"})

    # -- content -------------------------------------------------------------------------

    def urljoin(self, url: str) -> str:
        """``url`` made absolute against this response's URL."""
        return urljoin(self.url, url)

    @property
    def text(self) -> str:
        raise AttributeError("Response content isn't text")

    def css(self, *a: Any, **kw: Any) -> Any:
        raise NotSupported("Response content isn't text")

    def xpath(self, *a: Any, **kw: Any) -> Any:
        raise NotSupported("Response content isn't text")

    def jmespath(self, *a: Any, **kw: Any) -> Any:
        raise NotSupported("Response content isn't text")

    # -- following links -----------------------------------------------------------------

    def follow(self, url: str | Link, callback: CallbackT | None = None, **options: Unpack[RequestOptions]) -> Request:
        """A :class:`Request` for ``url``, which may be relative or a :class:`Link`; the
        options are Request's (method, headers, body, cookies, meta, encoding, priority,
        dont_filter, errback, cb_kwargs, flags)."""
        if type(url) is not str:
            url = self._link_url(url)
        # _follow_options leaves no None encoding: Request's is a str
        return Request(self.urljoin(url), callback, **self._follow_options(options))  # type: ignore[arg-type]

    def _follow_options(self, options: RequestOptions) -> RequestOptions:
        """``options`` as Request takes them: a Response has no encoding to fall back to."""
        if "encoding" in options and options["encoding"] is None:
            raise ValueError("encoding can't be None")
        return options

    def _link_url(self, link: Any) -> str:
        """The URL that follow() is given as something other than a string."""
        if isinstance(link, Link):
            return link.url
        if link is None:
            raise ValueError("url can't be None")
        return link  # Request() reports what it cannot take

    def follow_all(
        self, urls: Iterable[str | Link], callback: CallbackT | None = None, **options: Unpack[RequestOptions]
    ) -> Iterable[Request]:
        """Lazily, one :meth:`follow` request per item of ``urls`` (each request has its
        own meta and cb_kwargs dicts, sharing their values)."""
        if not hasattr(urls, "__iter__"):
            raise TypeError("'urls' argument must be an iterable")
        return (self.follow(url, callback, **options) for url in urls)
