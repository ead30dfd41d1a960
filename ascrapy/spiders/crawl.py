"""CrawlSpider and Rule (scrapy.spiders.crawl): crawl a site by following links by rules."""

from __future__ import annotations

import copy
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeAlias

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import HtmlResponse, Request, Response
from ascrapy.link import Link
from ascrapy.linkextractors import LinkExtractor
from ascrapy.spiders import Spider
from ascrapy.utils.asyncgen import collect_asyncgen
from ascrapy.utils.misc import arg_to_iter
from ascrapy.utils.python import global_object_name

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

__all__ = ["CrawlSpider", "Rule"]

ProcessLinksT: TypeAlias = Callable[[list[Link]], Iterable[Link]]
ProcessRequestT: TypeAlias = Callable[[Request, Response], Request | None]


def _identity(value: Any) -> Any:
    return value


def _identity_process_request(request: Request, response: Response) -> Request | None:
    return request


def _get_method(method: Callable[..., Any] | str | None, spider: Spider) -> Callable[..., Any] | None:
    """A callable as is; a name as the spider's method of that name (None if it has none)."""
    if callable(method):
        return method
    if isinstance(method, str):
        return getattr(spider, method, None)
    return None


_default_link_extractor = LinkExtractor()


class Rule:
    """Which links to follow from a page and what to do with the pages they lead to.

    ``callback``, ``errback``, ``process_links`` and ``process_request`` may be
    callables or names of spider methods. ``follow`` defaults to True when there is no
    callback, so rules that only navigate keep navigating.
    """

    def __init__(
        self,
        link_extractor: Any = None,
        callback: Callable[..., Any] | str | None = None,
        cb_kwargs: dict[str, Any] | None = None,
        follow: bool | None = None,
        process_links: ProcessLinksT | str | None = None,
        process_request: ProcessRequestT | str | None = None,
        errback: Callable[..., Any] | str | None = None,
    ):
        self.link_extractor = link_extractor or _default_link_extractor
        self.callback = callback
        self.errback = errback
        self.cb_kwargs: dict[str, Any] = cb_kwargs or {}
        self.process_links: Any = process_links or _identity
        self.process_request: Any = process_request or _identity_process_request
        self.follow: bool = follow if follow is not None else not callback

    def _compile(self, spider: Spider) -> None:
        """Resolve method names against ``spider`` (done on a per-spider copy)."""
        self.callback = _get_method(self.callback, spider)
        self.errback = _get_method(self.errback, spider)
        self.process_links = _get_method(self.process_links, spider)
        self.process_request = _get_method(self.process_request, spider)


def _overrides(cls: type, base: type, name: str) -> bool:
    return getattr(cls, name) is not getattr(base, name)


async def _resolve_output(output: Any) -> Any:
    """A callback's output as a sync iterable: coroutines awaited, async generators drained."""
    if hasattr(output, "__aiter__"):
        return await collect_asyncgen(output)
    if isinstance(output, Awaitable):
        return await output
    return output


class CrawlSpider(Spider):
    """A spider that follows the links its ``rules`` pick, from its start pages onwards.

    Start responses go to :meth:`parse_start_url` and are followed with every rule;
    a page reached through a rule goes to that rule's callback, and is followed if
    the rule says so.
    """

    rules: Sequence[Rule] = ()
    _rules: list[Rule]
    # from_crawler sets it from CRAWLSPIDER_FOLLOW_LINKS; spiders built without a crawler follow.
    _follow_links: bool = True

    def __init__(self, *a: Any, **kw: Any):
        super().__init__(*a, **kw)
        self._compile_rules()
        if _overrides(type(self), CrawlSpider, "_parse_response"):
            warnings.warn(
                f"The CrawlSpider._parse_response method, which the {global_object_name(type(self))} "
                "class overrides, is deprecated: it will be removed in future Scrapy releases. "
                "Please override the CrawlSpider.parse_with_rules method instead.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._follow_links = crawler.settings.getbool("CRAWLSPIDER_FOLLOW_LINKS")
        if not spider._follow_links:
            warnings.warn(
                "The CRAWLSPIDER_FOLLOW_LINKS setting is deprecated. "
                "You can set follow=False in your rules to achieve the same effect.",
                category=ScrapyDeprecationWarning,
                stacklevel=2,
            )
        return spider

    def _compile_rules(self) -> None:
        self._rules = []
        for rule in self.rules:
            compiled = copy.copy(rule)
            compiled._compile(self)
            self._rules.append(compiled)

    # -- callbacks --------------------------------------------------------------------

    def _parse(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_with_rules(response, self.parse_start_url, kwargs, follow=True)

    def parse_start_url(self, response: Response, **kwargs: Any) -> Any:
        """What to produce from a start response; nothing by default."""
        return ()

    def process_results(self, response: Response, results: Iterable[Any]) -> Iterable[Any]:
        """A last look at what a rule's callback produced; returns it unchanged by default."""
        return results

    def _callback(self, response: Response, **cb_kwargs: Any) -> Any:
        rule = self._rules[response.meta["rule"]]
        return self.parse_with_rules(response, rule.callback, {**rule.cb_kwargs, **cb_kwargs}, rule.follow)

    def _errback(self, failure: Any) -> Any:
        rule = self._rules[failure.request.meta["rule"]]
        return self._handle_failure(failure, rule.errback)

    def _handle_failure(self, failure: Any, errback: Callable[..., Any] | None) -> Any:
        if not errback:
            return ()
        output = errback(failure)
        if hasattr(output, "__aiter__") or isinstance(output, Awaitable):
            return output  # the scraper awaits or drains it
        return arg_to_iter(output)

    async def parse_with_rules(
        self,
        response: Response,
        callback: Callable[..., Any] | None,
        cb_kwargs: dict[str, Any],
        follow: bool = True,
    ) -> AsyncIterator[Any]:
        """The callback's output (through :meth:`process_results`), then the links to follow."""
        if callback:
            output = await _resolve_output(callback(response, **cb_kwargs))
            for element in arg_to_iter(self.process_results(response, output or ())):
                yield element
        if follow and self._follow_links:
            for request in self._requests_to_follow(response):
                yield request

    def _parse_response(
        self,
        response: Response,
        callback: Callable[..., Any] | None,
        cb_kwargs: dict[str, Any],
        follow: bool = True,
    ) -> AsyncIterator[Any]:
        warnings.warn(
            "The CrawlSpider._parse_response method is deprecated: it will be removed in future "
            "Scrapy releases. Please use the CrawlSpider.parse_with_rules method instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return self.parse_with_rules(response, callback, cb_kwargs, follow)

    # -- following ------------------------------------------------------------------

    def _build_request(self, rule_index: int, link: Link) -> Request:
        return Request(
            url=link.url,
            callback=self._callback,
            errback=self._errback,
            meta={"rule": rule_index, "link_text": link.text},
        )

    def _requests_to_follow(self, response: Response) -> Iterable[Request]:
        """One request per link, for the first rule whose extractor finds it (HTML only)."""
        if not isinstance(response, HtmlResponse):
            return
        seen: set[Link] = set()
        for rule_index, rule in enumerate(self._rules):
            links = [link for link in rule.link_extractor.extract_links(response) if link not in seen]
            for link in rule.process_links(links):
                seen.add(link)
                request = rule.process_request(self._build_request(rule_index, link), response)
                if request is not None:
                    yield request
