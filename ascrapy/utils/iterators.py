"""Stream the records of XML and CSV feeds (scrapy.utils.iterators).

XMLFeedSpider and CSVFeedSpider read their responses through these, so a big feed
is walked node by node or row by row.
"""

from __future__ import annotations

import copy
import csv
import logging
import re
import warnings
from collections.abc import Iterator
from io import StringIO
from typing import Any, Literal, overload

from lxml import etree

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Response, TextResponse
from ascrapy.selector import Selector

__all__ = ["csviter", "xmliter", "xmliter_lxml"]

logger = logging.getLogger("scrapy.utils.iterators")

_LEADING_SPACE = re.compile(rb"\s*")
_LEADING_SPACE_STR = re.compile(r"\s*")


class _BodyReader:
    """A file-like view of a body for lxml's iterparse, read in slices.

    Leading whitespace is skipped, as an XML declaration must come first. A str body
    is encoded to UTF-8 one slice at a time rather than copied whole.
    """

    def __init__(self, obj: Response | str | bytes):
        if isinstance(obj, TextResponse):
            self._body: str | bytes = obj.body
            self.encoding = obj.encoding
        elif isinstance(obj, Response):
            self._body, self.encoding = obj.body, "utf-8"
        elif isinstance(obj, (str, bytes)):
            self._body, self.encoding = obj, "utf-8"
        else:
            raise TypeError(f"Object {obj!r} must be Response or str or bytes, not {type(obj).__name__}")
        body = self._body
        leading = _LEADING_SPACE_STR.match(body) if isinstance(body, str) else _LEADING_SPACE.match(body)
        assert leading is not None  # the pattern matches the empty string too
        self._position = leading.end()

    def read(self, size: int = 65536) -> bytes:
        start = self._position
        self._position = start + size
        chunk = self._body[start : start + size]
        return chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def xmliter_lxml(
    obj: Response | str | bytes,
    nodename: str,
    namespace: str | None = None,
    prefix: str = "x",
) -> Iterator[Selector]:
    """Yield a Selector for each ``nodename`` element of an XML document, as it is parsed.

    ``nodename`` may carry a prefix (``"g:price"``) declared in the document; or give
    the ``namespace`` URI, and ``prefix`` is registered for it on each selector.
    Each node is detached into a small document of its own, so the parsed tree does
    not grow with the feed.
    """
    reader = _BodyReader(obj)
    if namespace is None and ":" in nodename:
        wanted_prefix, localname = nodename.split(":", 1)
        tag: str | None = None  # known once the prefix's declaration is seen
    else:
        wanted_prefix, localname = "", nodename
        tag = f"{{{namespace}}}{nodename}" if namespace else nodename
    events = etree.iterparse(
        reader,
        events=("end", "start-ns"),
        encoding=reader.encoding,
        resolve_entities=False,
        huge_tree=True,
    )
    for event, data in events:
        if event == "start-ns":
            if tag is None and data[0] == wanted_prefix:
                namespace = data[1]
                prefix = wanted_prefix
                tag = f"{{{namespace}}}{localname}"
            continue
        if data.tag != tag:
            continue
        node = copy.deepcopy(data)
        node.tail = None
        data.clear()
        selector = Selector(root=node, type="xml")
        if namespace:
            selector.register_namespace(prefix, namespace)
        yield selector


def xmliter(obj: Response | str | bytes, nodename: str) -> Iterator[Selector]:
    """Deprecated (removed in Scrapy 2.19): the same nodes as :func:`xmliter_lxml`."""
    warnings.warn(
        "xmliter is deprecated and its use strongly discouraged because it is vulnerable "
        "to ReDoS attacks. Use xmliter_lxml instead. See "
        "https://github.com/scrapy/scrapy/security/advisories/GHSA-cc65-xxvf-f7r9",
        ScrapyDeprecationWarning,
        stacklevel=2,
    )
    return xmliter_lxml(obj, nodename)


def csviter(
    obj: Response | str | bytes,
    delimiter: str | None = None,
    headers: list[str] | None = None,
    encoding: str | None = None,
    quotechar: str | None = None,
) -> Iterator[dict[str, str]]:
    """Yield each CSV row as a dict keyed by ``headers`` (by default, the first row).

    A response's text is used (a non-text response is read as UTF-8). Rows whose
    length differs from the headers' are skipped with a warning.
    """
    if encoding is not None:
        warnings.warn(
            "The encoding argument of csviter() is ignored and will be removed in a future Scrapy version.",
            category=ScrapyDeprecationWarning,
            stacklevel=2,
        )
    dialect: dict[str, Any] = {}  # csv.reader's keyword arguments
    if delimiter:
        dialect["delimiter"] = delimiter
    if quotechar:
        dialect["quotechar"] = quotechar
    reader = csv.reader(StringIO(_body_or_str(obj, unicode=True)), **dialect)
    if not headers:
        headers = next(reader, None)
        if headers is None:
            return
    width = len(headers)
    for row in reader:
        if len(row) != width:
            logger.warning(
                "ignoring row %(csvlnum)d (length: %(csvrow)d, should be: %(csvheader)d)",
                {"csvlnum": reader.line_num, "csvrow": len(row), "csvheader": width},
            )
            continue
        yield dict(zip(headers, row))


@overload
def _body_or_str(obj: Response | str | bytes) -> str: ...


@overload
def _body_or_str(obj: Response | str | bytes, unicode: Literal[True]) -> str: ...


@overload
def _body_or_str(obj: Response | str | bytes, unicode: Literal[False]) -> bytes: ...


def _body_or_str(obj: Any, unicode: bool = True) -> str | bytes:
    """The text (or bytes) of a response, str or bytes; non-text bodies are UTF-8."""
    if isinstance(obj, Response):
        if not unicode:
            return obj.body
        if isinstance(obj, TextResponse):
            return obj.text
        return obj.body.decode("utf-8")
    if isinstance(obj, str):
        return obj if unicode else obj.encode("utf-8")
    if isinstance(obj, bytes):
        return obj.decode("utf-8") if unicode else obj
    raise TypeError(f"Object {obj!r} must be Response or str or bytes, not {type(obj).__name__}")
