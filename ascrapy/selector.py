"""Selector and SelectorList: parsel's, built from a response when given one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from lxml import etree
from parsel import Selector as _ParselSelector

from ascrapy.http import HtmlResponse, JsonResponse, TextResponse, XmlResponse
from ascrapy.utils.python import to_bytes
from ascrapy.utils.response import get_base_url

__all__ = ["Selector", "SelectorList"]

SelectorType = Literal["html", "xml", "json", "text"]

_UNSET: Any = object()


class SelectorList(_ParselSelector.selectorlist_cls):  # type: ignore[misc,name-defined]
    """A list of :class:`Selector` with parsel's chaining methods."""


class Selector(_ParselSelector):
    """A parsel selector over a response's text, or over ``text`` given directly.

    Without an explicit ``type``, an :class:`XmlResponse` is read as XML, a
    :class:`JsonResponse` as JSON, an :class:`HtmlResponse` or bare ``text`` as HTML,
    and any other response as whatever parsel finds its body to be.
    """

    __slots__ = ["response"]
    selectorlist_cls = SelectorList

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
            # How parsel makes every result of a query (a page's queries make tens of them):
            # the state its constructor would give, set directly when that is known to match.
            self.response = None
            if _results_set_directly and (type == "html" or type == "xml"):
                self.root = root
                self.type = type
                self.namespaces = merged = dict(self._default_namespaces)
                if namespaces is not None:
                    merged.update(namespaces)
                self._expr = _expr
                self._huge_tree = True
                self._text = None
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

    def xpath(self, query: str, namespaces: Mapping[str, str] | None = None, **kwargs: Any) -> SelectorList:
        """parsel's xpath(); an HTML or XML element with the default namespaces runs the
        query compiled once and makes its results directly (a spider's queries run on every
        page and return tens of results each). Subclasses, which may have namespaces or a
        constructor of their own, keep parsel's path."""
        kind = self.type
        root = self.root
        if (
            type(self) is Selector
            and _results_set_directly
            and namespaces is None
            and (kind == "html" or kind == "xml")
            and type(query) is str
            and isinstance(root, etree._Element)
            and self.namespaces == self._default_namespaces
        ):
            try:
                compiled = _compiled_query(query)
                result = None if compiled is None else compiled(root, **kwargs)
            except etree.XPathError as exc:
                raise ValueError(f"XPath error: {exc} in {query}")  # parsel's error, word for word
            if compiled is not None:
                if type(result) is not list:
                    result = [result]
                return self.selectorlist_cls(self._results(result, query, "xml" if kind == "xml" else "html"))
        return super().xpath(query, namespaces, **kwargs)

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
            return super().css(query)  # parsel's text and error cases
        key = (kind, query)
        translated = _translated.get(key)
        if translated is None:
            translated = self._css2xpath(query)
            if len(_translated) >= _COMPILED_KEPT:
                _translated.clear()
            _translated[key] = translated
        return self.xpath(translated)

    def _results(self, roots: list[Any], query: str, kind: str) -> list[Selector]:
        """A Selector per result, with the state parsel's constructor gives it."""
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


# True while results are made without parsel's constructor; cleared at import if that
# would not give what the constructor gives (another parsel version).
_results_set_directly = True
_PARSEL_SLOTS = ("root", "type", "namespaces", "_expr", "_huge_tree", "_text")


def _results_match_parsel() -> bool:
    """True when the direct path of Selector() gives the state parsel's constructor gives."""
    document = _ParselSelector(text="<p>x</p>")
    for root in (document.root, "x"):
        for type_ in ("html", "xml"):
            made = object.__new__(Selector)
            _ParselSelector.__init__(made, type=type_, root=root, namespaces={"a": "b"}, _expr="//p")
            direct = Selector(root=root, type=type_, namespaces={"a": "b"}, _expr="//p")
            for name in _PARSEL_SLOTS:
                if getattr(made, name, _UNSET) != getattr(direct, name, _UNSET):
                    return False
    made_by_query = _ParselSelector(text="<p>x</p>").xpath("//p/text()")[0]
    direct_by_query = Selector(text="<p>x</p>").xpath("//p/text()")[0]
    if any(getattr(made_by_query, name, _UNSET) != getattr(direct_by_query, name, _UNSET) for name in _PARSEL_SLOTS):
        return False
    return set(_ParselSelector.__slots__) == {*_PARSEL_SLOTS, "body", "__weakref__"}


# XPath queries compiled once (the few queries a spider runs on every page); None for
# queries with a namespace prefix, which parsel compiles against the selector's namespaces.
_COMPILED_KEPT = 2048
_compiled: dict[str, etree.XPath | None] = {}
# CSS queries translated once, by selector type.
_translated: dict[tuple[str, str], str] = {}


def _compiled_query(query: str) -> etree.XPath | None:
    """``query`` compiled as parsel compiles it for a selector with the default namespaces
    (the EXSLT ones, left out unless the query uses their prefix), or None."""
    compiled = _compiled.get(query, _UNSET)
    if compiled is _UNSET:
        uses_prefix = any(f"{prefix}:" in query for prefix in _ParselSelector._default_namespaces)
        compiled = None if uses_prefix else etree.XPath(query, smart_strings=_ParselSelector._lxml_smart_strings)
        if len(_compiled) >= _COMPILED_KEPT:
            _compiled.clear()
        _compiled[query] = compiled
    return compiled  # type: ignore[no-any-return]


def _type_for(response: TextResponse | None) -> SelectorType | None:
    """The selector type a response's class implies (None: let parsel decide)."""
    if isinstance(response, XmlResponse):
        return "xml"
    if isinstance(response, JsonResponse):
        return "json"
    if response is None or isinstance(response, HtmlResponse):
        return "html"
    return None


_results_set_directly = _results_match_parsel()
