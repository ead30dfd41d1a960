"""XMLFeedSpider and CSVFeedSpider (scrapy.spiders.feed): one callback call per feed record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ascrapy.exceptions import NotSupported
from ascrapy.http import Response, TextResponse
from ascrapy.selector import Selector
from ascrapy.spiders import Spider
from ascrapy.utils.misc import arg_to_iter
from ascrapy.utils.iterators import csviter, xmliter_lxml

__all__ = ["CSVFeedSpider", "XMLFeedSpider"]


class XMLFeedSpider(Spider):
    """A spider for XML feeds: :meth:`parse_node` is called for each ``itertag`` node.

    ``iterator`` picks how nodes are found: ``"iternodes"`` (streamed, the default and
    the fastest), ``"xml"`` or ``"html"`` (the whole document parsed into a selector).
    ``namespaces`` holds ``(prefix, uri)`` pairs registered on every node selector.
    """

    iterator: str = "iternodes"
    itertag: str = "item"
    namespaces: Sequence[tuple[str, str]] = ()

    def process_results(self, response: Response, results: Iterable[Any]) -> Iterable[Any]:
        """A last look at what one node produced (e.g. to set ids); unchanged by default."""
        return results

    def adapt_response(self, response: Response) -> Response:
        """Change the feed response before it is parsed; unchanged by default."""
        return response

    def parse_node(self, response: Response, selector: Selector) -> Any:
        """Items and requests from one node; subclasses must define it (or ``parse_item``)."""
        parse_item = getattr(self, "parse_item", None)
        if parse_item is not None:  # the name older spiders used
            return parse_item(response, selector)
        raise NotImplementedError

    def parse_nodes(self, response: Response, nodes: Iterable[Selector]) -> Iterator[Any]:
        """Run :meth:`parse_node` then :meth:`process_results` on each node."""
        for selector in nodes:
            yield from self.process_results(response, arg_to_iter(self.parse_node(response, selector)))

    def _parse(self, response: Response, **kwargs: Any) -> Any:
        response = self.adapt_response(response)
        if self.iterator == "iternodes":
            nodes: Iterable[Selector] = self._iternodes(response)
        elif self.iterator in ("xml", "html"):
            if not isinstance(response, TextResponse):
                raise ValueError("Response content isn't text")
            selector = Selector(response, type=self.iterator)  # type: ignore[arg-type]
            self._register_namespaces(selector)
            nodes = selector.xpath(f"//{self.itertag}")
        else:
            raise NotSupported("Unsupported node iterator")
        return self.parse_nodes(response, nodes)

    def _iternodes(self, response: Response) -> Iterator[Selector]:
        for node in xmliter_lxml(response, self.itertag):
            self._register_namespaces(node)
            yield node

    def _register_namespaces(self, selector: Selector) -> None:
        for prefix, uri in self.namespaces:
            selector.register_namespace(prefix, uri)


class CSVFeedSpider(Spider):
    """A spider for CSV feeds: :meth:`parse_row` is called with each row as a dict.

    ``delimiter`` and ``quotechar`` default to the csv module's; ``headers`` names the
    columns when the file's first row does not.
    """

    delimiter: str | None = None
    quotechar: str | None = None
    headers: list[str] | None = None

    def process_results(self, response: Response, results: Iterable[Any]) -> Iterable[Any]:
        """A last look at what one row produced; unchanged by default."""
        return results

    def adapt_response(self, response: Response) -> Response:
        """Change the feed response before it is parsed; unchanged by default."""
        return response

    def parse_row(self, response: Response, row: dict[str, str]) -> Any:
        """Items and requests from one row; subclasses must define it."""
        raise NotImplementedError

    def parse_rows(self, response: Response) -> Iterator[Any]:
        """Run :meth:`parse_row` then :meth:`process_results` on each row."""
        for row in csviter(response, self.delimiter, self.headers, quotechar=self.quotechar):
            yield from self.process_results(response, arg_to_iter(self.parse_row(response, row)))

    def _parse(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_rows(self.adapt_response(response))
