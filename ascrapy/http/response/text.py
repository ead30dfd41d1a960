"""TextResponse: a response whose body is text in some encoding, with selectors.

The encoding is found the way Scrapy finds it: the one given to the constructor,
then a byte order mark, then the Content-Type header, then a declaration in the
body (``<meta charset>``, XML declaration), and last a guess from the bytes. Each
step is computed at most once per response.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Unpack, cast
from urllib.parse import urljoin

import parsel
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)
from w3lib.html import strip_html5_whitespace

from ascrapy.http.request import CallbackT, Request, RequestOptions
from ascrapy.http.response import Response
from ascrapy.link import Link
from ascrapy.utils._fasturl import simple_link_url
from ascrapy.utils.base_url import get_base_url

if TYPE_CHECKING:
    from ascrapy.selector import Selector, SelectorList

_UNSET: Any = object()

# The charset of a Content-Type value, remembered: a site sends the same few values.
_content_type_encoding = lru_cache(maxsize=256)(http_content_type_encoding)


@lru_cache(maxsize=64)
def _charset_codec(encoding: str) -> str | None:
    """The codec ``html_to_unicode(f"charset={encoding}", body)`` decodes a body without a
    byte order mark with, or None when it would look at the body to choose one."""
    if _content_type_encoding(f"charset={encoding}") is None:
        return None
    return html_to_unicode(f"charset={encoding}", b"")[0]


def _detect_encoding(data: bytes) -> str | None:
    """Best guess at the encoding of undeclared non-UTF-8 bytes."""
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only undeclared legacy pages need it

    match = from_bytes(data).best()
    return resolve_encoding(match.encoding) if match else None


class TextResponse(Response):
    """A response whose body is text; adds :attr:`text`, selectors and :meth:`json`."""

    _DEFAULT_ENCODING = "ascii"

    attributes: tuple[str, ...] = (*Response.attributes, "encoding")

    __slots__ = (
        "_cached_base_url",
        "_cached_benc",
        "_cached_decoded_json",
        "_cached_declared",
        "_cached_selector",
        "_cached_ubody",
        "_encoding",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        self._encoding: str | None = kwargs.pop("encoding", None)
        self._cached_benc: str | None = None
        self._cached_base_url: str | None = None  # ascrapy.utils.response.get_base_url's
        self._cached_ubody: str | None = None
        self._cached_selector: Selector | None = None
        self._cached_decoded_json: Any = _UNSET
        self._cached_declared: str | None = _UNSET
        super().__init__(*args, **kwargs)

    def _set_body(self, body: str | bytes | None) -> None:
        if isinstance(body, str):
            if self._encoding is None:
                raise TypeError(f"Cannot convert unicode body - {type(self).__name__} has no encoding")
            self._body = body.encode(self._encoding)
        else:
            super()._set_body(body)

    # -- encoding ---------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The body's encoding: declared if any declaration is usable, else inferred."""
        declared = self._cached_declared
        if declared is _UNSET:
            declared = self._declared_encoding()
        return declared or self._body_inferred_encoding()

    def _declared_encoding(self) -> str | None:
        declared = self._cached_declared
        if declared is _UNSET:
            declared = self._cached_declared = (
                self._encoding
                or self._bom_encoding()
                or self._headers_encoding()
                or self._body_declared_encoding()
            )
        return declared

    def _content_type(self) -> str:
        headers = self._headers
        value = headers.get(b"Content-Type") if headers else None
        return value.decode("latin-1") if value else ""

    def _headers_encoding(self) -> str | None:
        return _content_type_encoding(self._content_type())

    def _bom_encoding(self) -> str | None:
        return read_bom(self._body)[0]

    def _body_declared_encoding(self) -> str | None:
        return html_body_declared_encoding(self._body)

    def _body_inferred_encoding(self) -> str:
        if self._cached_benc is None:
            benc, text = html_to_unicode(
                self._content_type(),
                self._body,
                auto_detect_fun=self._auto_detect_fun,
                default_encoding=self._DEFAULT_ENCODING,
            )
            self._cached_benc = benc
            self._cached_ubody = text
        return self._cached_benc

    def _auto_detect_fun(self, text: bytes) -> str | None:
        for candidate in (self._DEFAULT_ENCODING, "utf-8"):
            try:
                text.decode(candidate)
            except UnicodeError:
                continue
            return resolve_encoding(candidate)
        return _detect_encoding(text)

    # -- content ------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The body decoded (once) with :attr:`encoding`; undecodable bytes replaced."""
        # Reading the encoding first may infer it, which also decodes the body.
        encoding = self.encoding
        if self._cached_ubody is None:
            body = self._body
            codec = _charset_codec(encoding)
            if codec is None or read_bom(body)[0] is not None:
                self._cached_ubody = html_to_unicode(f"charset={encoding}", body)[1]
            else:  # what html_to_unicode does then, without reading the label again
                self._cached_ubody = to_unicode(body, codec)
        return self._cached_ubody

    def json(self) -> Any:
        """The body parsed as JSON, once; bodies not in a UTF encoding go through :attr:`text`."""
        if self._cached_decoded_json is _UNSET:
            try:
                self._cached_decoded_json = json.loads(self.body)
            except UnicodeDecodeError:
                self._cached_decoded_json = json.loads(self.text)
        return self._cached_decoded_json

    def urljoin(self, url: str) -> str:
        """``url`` made absolute against the page's ``<base href>``, else its URL."""
        base = get_base_url(self)
        simple = simple_link_url(base, url)  # exact for plain links; saves urljoin's parsing
        return simple if simple is not None else urljoin(base, url)

    @property
    def selector(self) -> Selector:
        if self._cached_selector is None:
            from ascrapy.selector import Selector  # noqa: PLC0415

            self._cached_selector = Selector(self)
        return self._cached_selector

    def xpath(self, query: str, **kwargs: Any) -> SelectorList:
        return self.selector.xpath(query, **kwargs)

    def css(self, query: str) -> SelectorList:
        return self.selector.css(query)

    def jmespath(self, query: str, **kwargs: Any) -> SelectorList:
        selector = self.selector
        if not hasattr(selector, "jmespath"):
            raise AttributeError("Please install parsel >= 1.8.1 to get jmespath support")
        return cast("SelectorList", selector.jmespath(query, **kwargs))  # parsel makes ascrapy's list

    # -- following links ----------------------------------------------------------------

    def follow(
        self, url: str | Link | parsel.Selector, callback: CallbackT | None = None, **options: Unpack[RequestOptions]
    ) -> Request:
        """Like :meth:`Response.follow`, also taking an ``<a>``/``<link>`` or attribute
        selector; the request's encoding defaults to this response's."""
        if type(url) is not str:
            url = self._link_url(url)
        # _follow_options leaves no None encoding: Request's is a str
        return Request(self.urljoin(url), callback, **self._follow_options(options))  # type: ignore[arg-type]

    def _follow_options(self, options: RequestOptions) -> RequestOptions:
        if options.get("encoding") is None:
            options["encoding"] = self.encoding
        return options

    def _link_url(self, link: Any) -> str:
        if isinstance(link, parsel.Selector):
            return _url_from_selector(link)
        if isinstance(link, parsel.SelectorList):
            raise ValueError("SelectorList is not supported")
        return super()._link_url(link)

    def follow_all(
        self,
        urls: Iterable[str | Link] | parsel.SelectorList | None = None,
        callback: CallbackT | None = None,
        *,
        css: str | None = None,
        xpath: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Iterable[Request]:
        """Requests for ``urls``, or for the links that ``css`` or ``xpath`` select.

        Selected elements without a usable link (an ``<a>`` without href) are skipped.
        """
        if sum(arg is not None for arg in (urls, css, xpath)) != 1:
            raise ValueError("Please supply exactly one of the following arguments: urls, css, xpath")
        if not urls:
            if css:
                urls = self.css(css)
            if xpath:
                urls = self.xpath(xpath)
        if isinstance(urls, parsel.SelectorList):
            found = []
            for selector in urls:
                try:
                    found.append(_url_from_selector(selector))
                except _InvalidSelector:
                    continue
            urls = found
        return super().follow_all(urls, callback, **options)  # type: ignore[arg-type]


class _InvalidSelector(ValueError):
    """A selector that holds no link."""


def _url_from_selector(selector: parsel.Selector) -> str:
    """The link of an attribute selector or of an ``<a>``/``<link>`` element selector."""
    root = selector.root
    if isinstance(root, str):
        return strip_html5_whitespace(root)
    tag = getattr(root, "tag", None)
    if tag is None:
        raise _InvalidSelector(f"Unsupported selector: {selector}")
    if tag not in {"a", "link"}:
        raise _InvalidSelector(f"Only <a> and <link> elements are supported; got <{tag}>")
    href = root.get("href")
    if href is None:
        raise _InvalidSelector(f"<{tag}> element has no href attribute: {selector}")
    return strip_html5_whitespace(href)
