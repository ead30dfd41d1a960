"""Read sitemaps and sitemap indexes, and find sitemaps in robots.txt (scrapy.utils.sitemap).

Support code for SitemapSpider. Parsing is incremental and forgiving: broken markup is
recovered, entities are not expanded (no XXE), and each entry is freed once read.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any
from urllib.parse import urljoin

import lxml.etree

from ascrapy.exceptions import ScrapyDeprecationWarning

__all__ = ["Sitemap", "sitemap_urls_from_robots"]

logger = logging.getLogger("scrapy.utils.sitemap")

_ENTRY_TAGS = frozenset({"url", "sitemap"})


def _local_name(element: Any) -> str:
    """The tag without its namespace; "" for comments, entities and other non-elements."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


class Sitemap:
    """A sitemap (``type`` "urlset") or sitemap index (``type`` "sitemapindex").

    Iterating yields one dict per ``<url>`` or ``<sitemap>`` entry that has a ``loc``:
    each child's local name mapped to its stripped text, plus ``alternate``, the
    hrefs of its ``<xhtml:link>`` children, when there are any.
    """

    __slots__ = ("type", "xmliter")

    def __init__(self, xmltext: str | bytes):
        if isinstance(xmltext, str):
            warnings.warn(
                "Passing `str` type as `xmltext` is deprecated, use `bytes`",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
            xmltext = xmltext.encode()
        self.xmliter = lxml.etree.iterparse(
            BytesIO(xmltext),
            events=("start", "end"),
            recover=True,
            resolve_entities=False,
            remove_comments=True,
            remove_pis=True,
            remove_blank_text=True,
            collect_ids=False,
        )
        _, root = next(self.xmliter)
        self.type: str = _local_name(root)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for event, element in self.xmliter:
            if event == "end" and _local_name(element) in _ENTRY_TAGS:
                entry = self._read_entry(element)
                if entry is not None:
                    yield entry

    @staticmethod
    def _read_entry(element: Any) -> dict[str, Any] | None:
        entry: dict[str, Any] = {}
        alternate: list[str] = []
        for child in element:
            name = _local_name(child)
            if name == "link":
                href = child.get("href")
                if href:
                    alternate.append(href)
            elif name:
                text = child.text
                entry[name] = text.strip() if text else ""
        # Free what was read: the entry, and the entries before it.
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
        if "loc" not in entry:
            return None
        if alternate:
            entry["alternate"] = alternate
        return entry


def sitemap_urls_from_robots(robots_text: str | bytes, base_url: str | None = None) -> Iterable[str]:
    """Yield the absolute URL of each ``Sitemap:`` line of a robots.txt body.

    Lines whose URL is not valid UTF-8 are skipped.
    """
    if isinstance(robots_text, str):
        warnings.warn(
            "Passing `str` type as `robots_text` is deprecated, use `bytes`",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        robots_text = robots_text.encode()
    base = base_url or ""
    for line in robots_text.splitlines():
        if line.lstrip()[:8].lower() != b"sitemap:":
            continue
        try:
            url = line.partition(b":")[2].strip().decode()
        except UnicodeDecodeError:
            logger.debug(f"Skipping a robots.txt Sitemap line that is not UTF-8: {line!r}")
            continue
        yield urljoin(base, url)
