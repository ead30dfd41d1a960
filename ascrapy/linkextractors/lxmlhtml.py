"""The link extractor on lxml's parsed document (scrapy.linkextractors.lxmlhtml).

It runs on every page a CrawlSpider sees, so the common case (a few tag and attribute
names) lets lxml pick the elements in C and reads the attribute directly; only
callables and ``"*"`` wildcards look at every element.
"""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias, cast
from urllib.parse import urljoin

from lxml import etree
from parsel.csstranslator import HTMLTranslator
from w3lib.url import canonicalize_url, safe_url_string

from ascrapy.link import Link
from ascrapy.linkextractors.filters import IGNORED_EXTENSIONS, is_followable, matches_any
from ascrapy.utils._fasturl import netloc_and_path, simple_link_url
from ascrapy.utils.misc import arg_to_iter, rel_has_nofollow
from ascrapy.utils.python import unique as unique_list
from ascrapy.utils.response import get_base_url
from ascrapy.utils.url import _netloc_in_domains, url_is_from_any_domain

__all__ = ["LxmlLinkExtractor", "LxmlParserLinkExtractor"]

logger = logging.getLogger("scrapy.linkextractors.lxmlhtml")

XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_XHTML_PREFIX = f"{{{XHTML_NAMESPACE}}}"
_HTML5_WHITESPACE = " \t\n\r\x0c"

# The text of an element and its descendants, as a plain str: lxml's "smart" strings
# would keep a reference to the whole parsed page alive in every Link.text.
_collect_string_content = cast("Callable[[Any], str]", etree.XPath("string()", smart_strings=False))


def _nons(tag: Any) -> Any:
    """An element's tag without the XHTML namespace (other namespaces are kept)."""
    if isinstance(tag, str) and tag.startswith(_XHTML_PREFIX):
        return tag[len(_XHTML_PREFIX) :]
    return tag


def _identity(value: Any) -> Any:
    return value


def _canonicalize_link_url(link: Link) -> str:
    return canonicalize_url(link.url, keep_fragments=True)


class _NameFilter:
    """Whether a tag or attribute name is wanted: listed in ``allowed`` (or ``allowed``
    holds ``"*"``) and not listed in ``denied``. Denial wins."""

    __slots__ = ("allowed", "denied", "wildcard")

    def __init__(self, allowed: Iterable[str], denied: Iterable[str] = ()):
        self.allowed = frozenset(allowed)
        self.denied = frozenset(denied)
        self.wildcard = "*" in self.allowed

    def __call__(self, name: str) -> bool:
        if name in self.denied:
            return False
        return self.wildcard or name in self.allowed

    def names(self) -> frozenset[str] | None:
        """The exact names accepted, or None when any name may be (wildcard)."""
        return None if self.wildcard else self.allowed - self.denied

    def __getstate__(self) -> tuple[frozenset[str], frozenset[str]]:
        return self.allowed, self.denied

    def __setstate__(self, state: tuple[frozenset[str], frozenset[str]]) -> None:
        self.__init__(*state)  # type: ignore[misc]


class LxmlParserLinkExtractor:
    """Extract links from the ``attr`` attributes of ``tag`` elements of a parsed page.

    ``tag`` and ``attr`` are names or predicates on names; ``process`` may rewrite
    each absolute URL or return None to drop it. With ``unique``, links are deduplicated
    by URL (canonicalized first unless ``canonicalized`` says URLs already are).
    """

    def __init__(
        self,
        tag: str | Callable[[str], bool] = "a",
        attr: str | Callable[[str], bool] = "href",
        process: Callable[[Any], Any] | None = None,
        unique: bool = False,
        strip: bool = True,
        canonicalized: bool = False,
    ):
        self.scan_tag: Callable[[str], bool] = tag if callable(tag) else _NameFilter((tag,))
        self.scan_attr: Callable[[str], bool] = attr if callable(attr) else _NameFilter((attr,))
        self.process_attr: Callable[[Any], Any] = process if callable(process) else _identity
        self.unique: bool = unique
        self.strip: bool = strip
        self.link_key: Callable[[Link], str] = (
            operator.attrgetter("url") if canonicalized else _canonicalize_link_url
        )

    # -- finding the attribute values -------------------------------------------------

    def _iter_links(self, document: Any) -> Iterator[tuple[Any, str, str]]:
        """``(element, attribute name, value)`` for each wanted attribute, in document order."""
        if not hasattr(document, "iter"):  # a restrict_xpaths hit on text or an attribute
            return
        scan_tag, scan_attr = self.scan_tag, self.scan_attr
        tag_names = scan_tag.names() if isinstance(scan_tag, _NameFilter) else None
        attr_names = scan_attr.names() if isinstance(scan_attr, _NameFilter) else None
        elements: Iterable[Any] | None = None
        if tag_names:
            try:  # lxml filters by tag in C; it refuses names such as ""
                elements = document.iter(*tag_names, *(_XHTML_PREFIX + name for name in tag_names))
            except ValueError:
                pass
        elif tag_names is not None:
            return
        if elements is None:
            elements = (el for el in document.iter(etree.Element) if scan_tag(_nons(el.tag)))
        if attr_names is not None and len(attr_names) == 1:
            (name,) = attr_names
            for el in elements:
                value = el.get(name)
                if value is not None:
                    yield el, name, value
        elif attr_names is not None:
            for el in elements:
                for name, value in el.items():
                    if name in attr_names:
                        yield el, name, value
        else:
            for el in elements:
                for name, value in el.items():
                    if scan_attr(name):
                        yield el, name, value

    # -- turning values into links ----------------------------------------------------

    def _extract_links(
        self, selector: Any, response_url: str, response_encoding: str, base_url: str
    ) -> list[Link]:
        links: list[Link] = []
        append = links.append
        strip = self.strip
        # Without process(), simple values skip the URL functions (see _fasturl).
        shortcut = self.process_attr is _identity
        for el, _, value in self._iter_links(selector.root):
            if strip:
                value = value.strip(_HTML5_WHITESPACE)
            url = simple_link_url(base_url, value) if shortcut else None
            if url is None:
                url = self._absolute_url(value, base_url, response_url, response_encoding)
                if url is None:
                    continue
            append(Link(url, _collect_string_content(el) or "", nofollow=rel_has_nofollow(el.get("rel"))))
        return self._deduplicate_if_needed(links)

    def _absolute_url(self, value: str, base_url: str, response_url: str, encoding: str) -> str | None:
        """The link URL of an attribute value, or None when it is dropped or malformed."""
        try:
            url = urljoin(base_url, value)
        except ValueError:  # a malformed value, e.g. a bad IPv6 host
            logger.debug(f"Skipping extraction of link with bad URL {value!r}")
            return None
        url = self.process_attr(url)
        if url is None:
            return None
        try:
            url = safe_url_string(url, encoding=encoding)
        except ValueError:
            logger.debug(f"Skipping extraction of link with bad URL {url!r}")
            return None
        # process() may have returned a relative URL.
        return urljoin(response_url, url)

    def extract_links(self, response: Any) -> list[Link]:
        """The links of a text response."""
        return self._extract_links(response.selector, response.url, response.encoding, get_base_url(response))

    def _process_links(self, links: list[Link]) -> list[Link]:
        """Normalize and filter extracted links; subclasses extend this."""
        return self._deduplicate_if_needed(links)

    def _deduplicate_if_needed(self, links: list[Link]) -> list[Link]:
        if self.unique:
            return unique_list(links, key=self.link_key)
        return links


_Regex: TypeAlias = str | re.Pattern[str]
_RegexOrSeveral: TypeAlias = _Regex | Iterable[_Regex]


class LxmlLinkExtractor:
    """The link extractor of CrawlSpider rules: which links of a page to follow.

    Links are taken from ``attrs`` of ``tags`` (``"*"`` for any, ``deny_tags`` and
    ``deny_attrs`` to exclude), inside ``restrict_xpaths`` / ``restrict_css`` regions if
    given, and kept when their URL matches ``allow`` and not ``deny``, their domain is
    allowed and not denied, their extension is not in ``deny_extensions`` (by default
    :data:`~ascrapy.linkextractors.IGNORED_EXTENSIONS`) and their text matches
    ``restrict_text``. ``process_value`` runs before those filters; ``canonicalize``
    rewrites the kept URLs; ``unique`` drops repeated URLs.
    """

    _csstranslator = HTMLTranslator()

    def __init__(
        self,
        allow: _RegexOrSeveral = (),
        deny: _RegexOrSeveral = (),
        allow_domains: str | Iterable[str] = (),
        deny_domains: str | Iterable[str] = (),
        restrict_xpaths: str | Iterable[str] = (),
        tags: str | Iterable[str] | None = ("a", "area"),
        attrs: str | Iterable[str] | None = ("href",),
        canonicalize: bool = False,
        unique: bool = True,
        process_value: Callable[[Any], Any] | None = None,
        deny_extensions: str | Iterable[str] | None = None,
        restrict_css: str | Iterable[str] = (),
        strip: bool = True,
        restrict_text: _RegexOrSeveral | None = None,
        deny_tags: str | Iterable[str] = (),
        deny_attrs: str | Iterable[str] = (),
    ):
        self.link_extractor = LxmlParserLinkExtractor(
            tag=_NameFilter(arg_to_iter(tags), arg_to_iter(deny_tags)),
            attr=_NameFilter(arg_to_iter(attrs), arg_to_iter(deny_attrs)),
            unique=unique,
            process=process_value,
            strip=strip,
            canonicalized=True,
        )
        self.allow_res: list[re.Pattern[str]] = self._compile_regexes(allow)
        self.deny_res: list[re.Pattern[str]] = self._compile_regexes(deny)
        self.allow_domains: set[str] = set(arg_to_iter(allow_domains))
        self.deny_domains: set[str] = set(arg_to_iter(deny_domains))
        self.restrict_xpaths: tuple[str, ...] = (
            *arg_to_iter(restrict_xpaths),
            *(self._csstranslator.css_to_xpath(css) for css in arg_to_iter(restrict_css)),
        )
        if deny_extensions is None:
            deny_extensions = IGNORED_EXTENSIONS
        self.canonicalize: bool = canonicalize
        self.deny_extensions: set[str] = {"." + ext for ext in arg_to_iter(deny_extensions)}
        self.restrict_text: list[re.Pattern[str]] = self._compile_regexes(restrict_text)

    @staticmethod
    def _compile_regexes(value: _RegexOrSeveral | None) -> list[re.Pattern[str]]:
        return [x if isinstance(x, re.Pattern) else re.compile(x) for x in arg_to_iter(value)]

    # -- filters ------------------------------------------------------------------------

    def _link_allowed(self, link: Link) -> bool:
        url = link.url
        if not is_followable(url):
            return False
        if self.allow_res and not matches_any(url, self.allow_res):
            return False
        if self.deny_res and matches_any(url, self.deny_res):
            return False
        if self.allow_domains or self.deny_domains or self.deny_extensions:
            netloc, path = netloc_and_path(url)
            if self.allow_domains and not _netloc_in_domains(netloc, self.allow_domains):
                return False
            if self.deny_domains and _netloc_in_domains(netloc, self.deny_domains):
                return False
            if self.deny_extensions and path.lower().endswith(self._denied_suffixes()):
                return False
        return not self.restrict_text or matches_any(link.text, self.restrict_text)

    def _denied_suffixes(self) -> tuple[str, ...]:
        """deny_extensions as a tuple for str.endswith (built once, not per link).

        Rebuilt when the set is replaced or its size changes; an in-place swap that keeps
        the size is not noticed.
        """
        extensions = self.deny_extensions
        cached = self.__dict__.get("_suffixes_cache")
        if cached is None or cached[0] is not extensions or len(cached[1]) != len(extensions):
            cached = self._suffixes_cache = (extensions, tuple(extensions))
        return cached[1]

    def matches(self, url: str) -> bool:
        """Whether ``url`` passes the domain and allow/deny filters (not the others)."""
        if self.allow_domains and not url_is_from_any_domain(url, self.allow_domains):
            return False
        if self.deny_domains and url_is_from_any_domain(url, self.deny_domains):
            return False
        if self.allow_res and not matches_any(url, self.allow_res):
            return False
        return not matches_any(url, self.deny_res)

    def _process_links(self, links: list[Link]) -> list[Link]:
        links = [link for link in links if self._link_allowed(link)]
        if self.canonicalize:
            for link in links:
                link.url = canonicalize_url(link.url)
        return self.link_extractor._process_links(links)

    # -- extraction ---------------------------------------------------------------------

    def _extract_links(self, *args: Any, **kwargs: Any) -> list[Link]:
        return self.link_extractor._extract_links(*args, **kwargs)

    def extract_links(self, response: Any) -> list[Link]:
        """The :class:`~ascrapy.link.Link` objects of ``response`` that pass the filters.

        Repeated links are dropped when ``unique`` is true (the default).
        """
        base_url = get_base_url(response)
        if self.restrict_xpaths:
            regions: list[Any] = [
                region for xpath in self.restrict_xpaths for region in response.xpath(xpath)
            ]
        else:
            regions = [response.selector]
        url, encoding = response.url, response.encoding
        found: list[Link] = []
        for region in regions:
            found.extend(self._process_links(self._extract_links(region, url, encoding, base_url)))
        if self.link_extractor.unique and len(regions) > 1:
            return unique_list(found, key=self.link_extractor.link_key)
        return found
