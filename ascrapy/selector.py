"""Selector and SelectorList: parsel's, built from a response when given one.

A page's queries make tens of result selectors each, and parsel's constructor is most of
their cost (bench: 1.2 ms instead of 1.8 ms for a listing page with 44 products). So, for
plain HTML and XML queries of this class, XPath queries are compiled once and their results
are made by setting the state parsel's constructor gives, private slots included. That path
is taken only when, at import, it answers a battery of queries exactly as parsel's own path
does (``fast_path_difference``); otherwise parsel's own path is used and a RuntimeWarning
says so. pyproject.toml bounds parsel to the versions this was checked against, and
tests/test_selector.py fails when the installed parsel disagrees.

It sits above the HTTP objects (bare text is read through an HtmlResponse or XmlResponse,
as in Scrapy); a TextResponse imports it only when its selector is first used.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal, cast

import parsel
from lxml import etree
from parsel import Selector as _ParselSelector
from parsel.csstranslator import GenericTranslator, HTMLTranslator

from ascrapy.http import HtmlResponse, JsonResponse, TextResponse, XmlResponse
from ascrapy.utils.base_url import get_base_url
from ascrapy.utils.memo import ClearingMemo
from ascrapy.utils.python import to_bytes

__all__ = ["Selector", "SelectorList"]

SelectorType = Literal["html", "xml", "json", "text"]

_UNSET: Any = object()
_TRANSLATORS = {"html": HTMLTranslator(), "xml": GenericTranslator()}
# The namespaces parsel gives every selector (EXSLT's), read from one it made.
_DEFAULT_NAMESPACES: dict[str, str] = dict(_ParselSelector(text="<p/>").namespaces)


class SelectorList(parsel.SelectorList["Selector"]):
    """A list of :class:`Selector` with parsel's chaining methods."""


class Selector(_ParselSelector):
    """A parsel selector over a response's text, or over ``text`` given directly.

    Without an explicit ``type``, an :class:`XmlResponse` is read as XML, a
    :class:`JsonResponse` as JSON, an :class:`HtmlResponse` or bare ``text`` as HTML,
    and any other response as whatever parsel finds its body to be.
    """

    __slots__ = ["response"]
    # parsel types this as the list of its own Selector; ours holds ascrapy's
    selectorlist_cls = SelectorList  # type: ignore[assignment]

    def __init__(
        self,
        response: TextResponse | None = None,
        text: str | None = None,
        type: SelectorType | None = None,  # noqa: A002
        root: Any = _UNSET,
        *,
        namespaces: Mapping[str, str] | None = None,
        _expr: str | None = None,
        **kwargs: Any,
    ):
        if root is not _UNSET and response is None and text is None and not kwargs:
            # How parsel makes every result of a query: on the fast path, the state its
            # constructor would give, set directly.
            self.response = None
            if _fast_path and (type == "html" or type == "xml"):
                self._become_result(root, type, namespaces, _expr)
            else:
                _ParselSelector.__init__(self, type=type, root=root, namespaces=namespaces, _expr=_expr)
            return
        kwargs["namespaces"] = namespaces
        kwargs["_expr"] = _expr
        if response is not None and text is not None:
            raise ValueError(f"{self.__class__.__name__}.__init__() received both response and text")
        if type is None and root is _UNSET:
            type = _type_for(response)  # noqa: A001
        if text is not None:
            # Bare text goes through a response too, so it is decoded the same way.
            response_cls = XmlResponse if type == "xml" else HtmlResponse
            response = response_cls(url="about:blank", encoding="utf-8", body=to_bytes(text, "utf-8"))
        if response is not None:
            text = response.text
            kwargs.setdefault("base_url", get_base_url(response))
        self.response = response
        if root is not _UNSET:
            kwargs["root"] = root
        super().__init__(text=text, type=type, **kwargs)

    def _become_result(self, root: Any, kind: str, namespaces: Mapping[str, str] | None, query: str | None) -> None:
        """The state parsel's constructor gives a query result (checked at import)."""
        self.root = root
        self.type = kind
        self.namespaces = merged = dict(_DEFAULT_NAMESPACES)
        if namespaces is not None:
            merged.update(namespaces)
        self._expr = query
        self._huge_tree = True
        self._text = None

    def xpath(self, query: str, namespaces: Mapping[str, str] | None = None, **kwargs: Any) -> SelectorList:
        """parsel's xpath(); on the fast path, an HTML or XML element with the default
        namespaces runs the query compiled once and makes its results directly. Subclasses,
        which may have namespaces or a constructor of their own, keep parsel's path."""
        kind = self.type
        root = self.root
        if (
            type(self) is Selector
            and _fast_path
            and namespaces is None
            and (kind == "html" or kind == "xml")
            and type(query) is str
            and isinstance(root, etree._Element)
            and self.namespaces == _DEFAULT_NAMESPACES
        ):
            try:
                compiled = _compiled_query(query)
                result: Any = None if compiled is None else compiled(root, **kwargs)  # a value or a list
            except etree.XPathError as exc:
                raise ValueError(f"XPath error: {exc} in {query}")  # parsel's error, word for word
            if compiled is not None:
                if type(result) is not list:
                    result = [result]
                return self.selectorlist_cls(self._results(result, query, kind))
        # parsel builds the list with selectorlist_cls: this class's SelectorList
        return cast(SelectorList, super().xpath(query, namespaces, **kwargs))

    def get(self) -> Any:
        """parsel's get(); a text or attribute result is its string (parsel gets there by
        failing to serialise it as a node, an exception for each of a page's links)."""
        root = self.root
        if type(root) is str:
            return root
        return super().get()

    extract = get

    def css(self, query: str) -> SelectorList:
        kind = self.type
        if kind != "html" and kind != "xml":
            return cast(SelectorList, super().css(query))  # parsel's text and error cases
        key = (kind, query)
        translated = _translated.get(key)
        if translated is None:
            translated = _translated.keep(key, _TRANSLATORS[kind].css_to_xpath(query))
        return self.xpath(translated)

    def _results(self, roots: list[Any], query: str, kind: str) -> list[Selector]:
        """A Selector per result, as ``_become_result`` makes it (written out: a page's
        queries make tens of results each)."""
        namespaces = self.namespaces
        results = []
        for root in roots:
            result = object.__new__(Selector)
            result.response = None
            result.root = root
            result.type = kind
            result.namespaces = dict(namespaces)
            result._expr = query
            result._huge_tree = True
            result._text = None
            results.append(result)
        return results


# XPath queries compiled once (the few queries a spider runs on every page); None for
# queries with a namespace prefix, which parsel compiles against the selector's namespaces.
_compiled: ClearingMemo[str, etree.XPath | None] = ClearingMemo(2048)
# CSS queries translated once, by selector type.
_translated: ClearingMemo[tuple[str, str], str] = ClearingMemo(2048)


def _compiled_query(query: str) -> etree.XPath | None:
    """``query`` compiled as parsel compiles it for a selector with the default namespaces
    (the EXSLT ones, left out unless the query uses their prefix), or None."""
    compiled = _compiled.get(query, _UNSET)
    if compiled is _UNSET:
        uses_prefix = any(f"{prefix}:" in query for prefix in _DEFAULT_NAMESPACES)
        compiled = _compiled.keep(query, None if uses_prefix else etree.XPath(query, smart_strings=False))
    return compiled


def _type_for(response: TextResponse | None) -> SelectorType | None:
    """The selector type a response's class implies (None: let parsel decide)."""
    if isinstance(response, XmlResponse):
        return "xml"
    if isinstance(response, JsonResponse):
        return "json"
    if response is None or isinstance(response, HtmlResponse):
        return "html"
    return None


# -- the check that keeps the fast path honest --------------------------------------------

_HTML = (
    "<html><head><base href='http://b.example/'></head><body><div id='d' class='c k'>"
    "<a href='/x' title='t'>one</a><a href='/y'>two <b>bold</b></a></div>"
    "<ul><li class='a'>1</li><li class='b'>22</li><li>333</li></ul></body></html>"
)
_XML = "<root xmlns:e='http://e.example/'><e:item k='1'>a</e:item><item k='2'>b<i>c</i></item></root>"
_CSS = ("a", "a::attr(href)", "a::text", "div.c a", "li.b::text", "a *::text", "#d > a:nth-child(2)", "b")
_XPATH: tuple[tuple[str, dict[str, Any]], ...] = (
    ("//a", {}), ("//a/@href", {}), ("count(//a)", {}), ("string(//li[2])", {}), ("//li[$n]/text()", {"n": 3}),
    ("//li[re:test(text(), '^2+$')]/text()", {}), ("//a[1]/following-sibling::a", {}), ("//li/@class", {}),
    ("boolean(//b)", {}),
)


def _described(results: Any) -> list[Any]:
    """What a user can observe of a SelectorList: each result's repr, values and state."""
    described = []
    for result in results:
        root = result.root
        element = isinstance(root, etree._Element)
        described.append((
            repr(result), result.get(), result.getall(), result.type, sorted(result.namespaces.items()),
            type(root).__name__, result.re(r"\w+"), dict(result.attrib) if element else None,
            result.xpath("name()").get() if element else None,
            result.css("::text").getall() if element else None,
        ))
    return described


def _answers(selector_class: type[_ParselSelector]) -> list[Any]:
    html = selector_class(text=_HTML)
    answers: list[Any] = [_described(html.css(query)) for query in _CSS]
    answers += [_described(html.xpath(query, **variables)) for query, variables in _XPATH]
    answers.append(_described(html.css("div").xpath("./a")[1].css("b::text")))
    answers.append(_described(html.xpath("//ul").css("li")[0].xpath("following-sibling::li/text()")))
    xml = selector_class(text=_XML, type="xml")
    answers.append(_described(xml.xpath("//item")))
    xml.register_namespace("e", "http://e.example/")
    answers.append(_described(xml.xpath("//e:item/text()")))
    answers.append(_described(xml.css("item > i")))
    xml.remove_namespaces()
    answers.append(_described(xml.xpath("//item/@k")))
    return answers


def fast_path_difference(reference: type[_ParselSelector] = _ParselSelector) -> str | None:
    """The first query on which the fast path answers unlike ``reference`` (parsel's own
    Selector), or None when they agree on all of them."""
    global _fast_path
    if set(_ParselSelector.__slots__) != {"root", "type", "namespaces", "_expr", "_huge_tree", "_text",
                                           "body", "__weakref__"}:
        return f"parsel's Selector has the slots {sorted(_ParselSelector.__slots__)}"
    was, _fast_path = _fast_path, True
    try:
        ours, theirs = _answers(Selector), _answers(reference)
    except Exception as error:  # any failure of the fast path is a disagreement
        return f"{type(error).__name__}: {error}"
    finally:
        _fast_path = was
    for number, (mine, expected) in enumerate(zip(ours, theirs, strict=True)):
        if mine != expected:
            return f"query {number}: {mine!r} instead of {expected!r}"
    return None


def choose_path(reference: type[_ParselSelector] = _ParselSelector) -> bool:
    """Take the fast path if it answers as ``reference`` does, else parsel's own path with
    a RuntimeWarning that says why; True when the fast path is taken."""
    global _fast_path
    difference = fast_path_difference(reference)
    _fast_path = difference is None
    if difference is not None:
        warnings.warn(
            f"parsel {parsel.__version__} answers unlike ascrapy's fast selector path ({difference[:300]}); "
            "ascrapy uses parsel's own, slower path",
            RuntimeWarning,
            stacklevel=2,
        )
    return _fast_path


_fast_path = False
choose_path()
