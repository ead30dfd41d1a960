"""Spider contracts: the manager and the built-in contracts, and a real crawl (``ascrapy check``:
test_cli_check.py)."""

from __future__ import annotations

import warnings
from typing import Any
from unittest import TextTestResult

import pytest
from aiohttp import web

from ascrapy.contracts import Contract, ContractsManager
from ascrapy.contracts.default import (
    BodyContract,
    CallbackKeywordArgumentsContract,
    CookieContract,
    HeaderContract,
    MetadataContract,
    MethodContract,
    ReturnsContract,
    ScrapesContract,
    UrlContract,
)
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.failure import Failure
from ascrapy.http import HtmlResponse, Request
from ascrapy.item import Field, Item
from ascrapy.settings import Settings
from ascrapy.spiders import Spider
from ascrapy.utils.conf import build_component_list
from ascrapy.utils.misc import load_object
from tests.crawl_helpers import crawl

DEFAULT_CONTRACTS = [
    UrlContract,
    CallbackKeywordArgumentsContract,
    MetadataContract,
    MethodContract,
    BodyContract,
    HeaderContract,
    CookieContract,
    ReturnsContract,
    ScrapesContract,
]


class Product(Item):
    name = Field()
    url = Field()


class TaggedRequest(Request):
    def __init__(self, url: str, tag: str | None = None, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.tag = tag


class TaggedContract(Contract):
    name = "tagged"
    request_cls = TaggedRequest

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["tag"] = self.args[0]
        return args


class TitleContract(Contract):
    """A custom contract with both hooks: checks the page title, then the output size."""

    name = "title"

    def pre_process(self, response: Any) -> None:
        title = response.css("title::text").get()
        if title == "boom":
            raise RuntimeError("cannot read the title")
        assert title == self.args[0], f"title is {title!r}"

    def post_process(self, output: list[Any]) -> None:
        assert len(output) < 100


class StopContract(Contract):
    name = "stop"

    def pre_process(self, response: Any) -> None:
        raise KeyboardInterrupt("stop everything")


class ShopSpider(Spider):
    name = "shop"

    def parse(self, response):
        """Returns a request.
        @url http://shop.example/
        @returns requests 1 1
        """
        return Request("http://shop.example/next", callback=self.parse_product)

    def parse_product(self, response, currency):
        """
        @url http://shop.example/p/1
        @cb_kwargs {"currency": "EUR"}
        @meta {"cookiejar": 2}
        @returns items 1
        @scrapes name url
        """
        yield Product(name=f"thing in {currency}", url=response.url)
        yield Request("http://shop.example/other")

    def parse_dict(self, response):
        """
        @url http://shop.example/d
        @returns items 2 3
        @scrapes name price
        """
        return {"name": "x"}

    def parse_posted(self, response):
        """
        @url http://shop.example/form
        @method POST
        @body a=1&b=two words
        @header X-Token secret value
        @header Accept text/html
        @cookie session abc def
        @cookie lang en
        """

    def parse_tagged(self, response):
        """
        @url http://shop.example/tagged
        @tagged blue
        """

    def parse_titled(self, response):
        """
        @url http://shop.example/titled
        @title Shop
        """
        return [{"n": 1}]

    def parse_without_url(self, response):
        """
        @returns items 1
        """

    def parse_prose(self, response):
        """An at sign alone is prose, not a contract:
        @ this line is ignored
        @url http://shop.example/prose
        """
        return {}

    async def parse_coroutine(self, response):
        """
        @url http://shop.example/c
        @returns items 1 1
        """
        return {"name": "coroutine"}

    async def parse_async_gen(self, response):
        """
        @url http://shop.example/g
        @returns items 2 2
        """
        yield {"name": "a"}
        yield {"name": "b"}

    def parse_sync_returning_coroutine(self, response):
        """
        @url http://shop.example/sc
        @returns items 1
        """
        return self.parse_coroutine(response)

    def parse_raising(self, response):
        """
        @url http://shop.example/r
        @returns items 1
        """
        raise ValueError("broken callback")

    def not_a_callback(self):
        """No contract lines here, not even with email@example.com inside."""


class ChildSpider(ShopSpider):
    name = "child"


class UnknownContractSpider(Spider):
    name = "unknown"

    def parse(self, response):
        """
        @url http://shop.example/
        @nonexistent 1
        """


def _results() -> TextTestResult:
    return TextTestResult(stream=None, descriptions=False, verbosity=0)  # type: ignore[arg-type]


def _response(url: str, body: bytes = b"<html><head><title>Shop</title></head></html>", **meta: Any) -> HtmlResponse:
    return HtmlResponse(url, body=body, request=Request(url, meta=meta))


@pytest.fixture
def conman() -> ContractsManager:
    return ContractsManager([*DEFAULT_CONTRACTS, TaggedContract, TitleContract, StopContract])


@pytest.fixture
def spider() -> ShopSpider:
    return ShopSpider()


def _call(request: Request, response: Any) -> Any:
    assert request.callback is not None
    return request.callback(response, **request.cb_kwargs)


def _outcomes(results: TextTestResult) -> tuple[int, int, int]:
    return results.testsRun, len(results.failures), len(results.errors)


# --- reading contracts ----------------------------------------------------------------------


def test_default_settings_point_at_these_contracts() -> None:
    paths = build_component_list(Settings().get_component_priority_dict_with_base("SPIDER_CONTRACTS"))
    classes = [load_object(path) for path in paths]
    assert set(classes) == set(DEFAULT_CONTRACTS)
    # request-shaping contracts first, then @returns, then @scrapes
    assert classes[-2:] == [ReturnsContract, ScrapesContract]


def test_tested_methods_are_those_with_contract_lines(conman: ContractsManager) -> None:
    expected = {
        "parse",
        "parse_product",
        "parse_dict",
        "parse_posted",
        "parse_tagged",
        "parse_titled",
        "parse_without_url",
        "parse_prose",
        "parse_coroutine",
        "parse_async_gen",
        "parse_sync_returning_coroutine",
        "parse_raising",
    }
    assert set(conman.tested_methods_from_spidercls(ShopSpider)) == expected
    assert set(conman.tested_methods_from_spidercls(ChildSpider)) == expected


def test_extract_contracts_in_order_with_arguments(conman: ContractsManager, spider: ShopSpider) -> None:
    contracts = conman.extract_contracts(spider.parse_product)
    assert [type(c) for c in contracts] == [
        UrlContract,
        CallbackKeywordArgumentsContract,
        MetadataContract,
        ReturnsContract,
        ScrapesContract,
    ]
    assert contracts[0].args == ("http://shop.example/p/1",)
    assert contracts[4].args == ("name", "url")
    prose = conman.extract_contracts(spider.parse_prose)
    assert [type(c) for c in prose] == [UrlContract]


def test_testcase_names_the_spider_method_and_hook(spider: ShopSpider) -> None:
    contract = ReturnsContract(spider.parse, "items")
    assert str(contract.testcase_pre) == "[shop] parse (@returns pre-hook)"
    assert str(contract.testcase_post) == "[shop] parse (@returns post-hook)"


# --- the sample request ------------------------------------------------------------------------


def test_request_from_url_cb_kwargs_and_meta(conman: ContractsManager, spider: ShopSpider) -> None:
    request = conman.from_method(spider.parse_product, _results())
    assert request is not None
    assert type(request) is Request
    assert request.url == "http://shop.example/p/1"
    assert request.dont_filter
    assert request.cb_kwargs == {"currency": "EUR"}
    assert request.meta["cookiejar"] == 2
    assert request.callback is not spider.parse_product  # wrapped by the checks
    assert request.errback is not None


def test_request_contracts_set_method_body_headers_and_cookies(
    conman: ContractsManager, spider: ShopSpider
) -> None:
    request = conman.from_method(spider.parse_posted, _results())
    assert request is not None
    assert request.method == "POST"
    assert request.body == b"a=1&b=two words"
    assert request.headers["X-Token"] == b"secret value"
    assert request.headers["Accept"] == b"text/html"
    assert request.cookies == {"session": "abc def", "lang": "en"}


def test_request_class_from_a_contract(conman: ContractsManager, spider: ShopSpider) -> None:
    request = conman.from_method(spider.parse_tagged, _results())
    assert isinstance(request, TaggedRequest)
    assert request.tag == "blue"


def test_no_request_without_url_or_contracts(conman: ContractsManager, spider: ShopSpider) -> None:
    assert conman.from_method(spider.parse_without_url, _results()) is None
    assert conman.extract_contracts(spider.not_a_callback) == []
    assert conman.from_method(spider.not_a_callback, _results()) is None


def test_from_spider_records_unknown_contracts_as_errors(conman: ContractsManager) -> None:
    results = _results()
    assert conman.from_spider(UnknownContractSpider(), results) == []
    assert len(results.errors) == 1
    case, trace = results.errors[0]
    assert str(case) == "[unknown] parse (contract)"
    assert "KeyError: 'nonexistent'" in trace


def test_from_spider_includes_inherited_callbacks(conman: ContractsManager) -> None:
    requests = conman.from_spider(ChildSpider(), _results())
    assert any(isinstance(request, TaggedRequest) for request in requests)
    assert None in requests  # parse_without_url has no sample request


# --- checking the output ------------------------------------------------------------------------


def test_passing_contracts_record_successes(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    request = conman.from_method(spider.parse_product, results)
    assert request is not None
    # the callback's output is dropped: nothing reaches the crawl
    assert _call(request, _response(request.url, cookiejar=2)) is None
    assert _outcomes(results) == (2, 0, 0)


def test_returns_range_failure_message(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    request = conman.from_method(spider.parse_dict, results)
    assert request is not None
    _call(request, _response(request.url))
    assert _outcomes(results) == (2, 2, 0)
    messages = [trace for _, trace in results.failures]
    assert "ContractFail: Returned 1 items, expected 2..3" in messages[0]
    assert "ContractFail: Missing fields: price" in messages[1]


def test_returns_exact_count_message(spider: ShopSpider) -> None:
    contract = ReturnsContract(spider.parse, "requests", "2", "2")
    with pytest.raises(AssertionError, match=r"^Returned 1 requests, expected 2$"):
        contract.post_process([Request("http://a.example"), {"not": "counted"}])


def test_returns_bounds_and_argument_count(spider: ShopSpider) -> None:
    contract = ReturnsContract(spider.parse, "item")
    assert (contract.min_bound, contract.max_bound) == (1, float("inf"))
    contract = ReturnsContract(spider.parse, "request", "0", "4")
    assert (contract.min_bound, contract.max_bound) == (0, 4)
    with pytest.raises(ValueError, match="expected 1, 2 or 3, got 0"):
        ReturnsContract(spider.parse)
    with pytest.raises(ValueError, match="expected 1, 2 or 3, got 4"):
        ReturnsContract(spider.parse, "items", "1", "2", "3")


def test_scrapes_names_every_missing_field(spider: ShopSpider) -> None:
    contract = ScrapesContract(spider.parse, "name", "url", "price")
    contract.post_process([Request("http://a.example"), {"name": 1, "url": 2, "price": 3}])
    with pytest.raises(AssertionError, match=r"^Missing fields: url, price$"):
        contract.post_process([Product(name="x")])


def test_custom_pre_process_pass_fail_and_error(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    request = conman.from_method(spider.parse_titled, results)
    assert request is not None
    _call(request, _response(request.url))
    assert _outcomes(results) == (2, 0, 0)  # pre and post hooks

    _call(request, _response(request.url, body=b"<title>Other</title>"))
    assert _outcomes(results) == (4, 1, 0)
    assert "title is 'Other'" in results.failures[0][1]

    _call(request, _response(request.url, body=b"<title>boom</title>"))
    assert _outcomes(results) == (6, 1, 1)
    assert "RuntimeError: cannot read the title" in results.errors[0][1]


def test_keyboard_interrupt_in_a_hook_is_not_a_test_outcome(spider: ShopSpider) -> None:
    results = _results()
    request = ContractsManager([UrlContract]).from_method(spider.parse_prose, results)
    assert request is not None
    StopContract(spider.parse_prose).add_pre_hook(request, results)
    with pytest.raises(KeyboardInterrupt, match="stop everything"):
        _call(request, _response(request.url))
    assert (len(results.failures), len(results.errors)) == (0, 0)


def test_callback_exception_is_an_error(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    request = conman.from_method(spider.parse_raising, results)
    assert request is not None
    _call(request, _response(request.url))
    assert len(results.errors) == 1
    case, trace = results.errors[0]
    assert str(case) == "[shop] parse_raising (callback)"
    assert "ValueError: broken callback" in trace


def test_sync_callback_returning_a_coroutine_is_an_error(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    request = conman.from_method(spider.parse_sync_returning_coroutine, results)
    assert request is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the coroutine is closed, not left unawaited
        _call(request, _response(request.url))
    assert len(results.errors) == 1
    assert "must be defined with async def" in results.errors[0][1]


async def test_async_callbacks_are_checked(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    for method in (spider.parse_coroutine, spider.parse_async_gen):
        request = conman.from_method(method, results)
        assert request is not None
        assert await _call(request, _response(request.url)) is None
    assert _outcomes(results) == (2, 0, 0)


async def test_async_callback_exception_is_an_error(spider: ShopSpider) -> None:
    class AsyncRaising(Spider):
        name = "async_raising"

        async def parse(self, response):
            """
            @url http://shop.example/
            @returns items 1
            """
            raise ValueError("async failure")

    results = _results()
    request = ContractsManager(DEFAULT_CONTRACTS).from_method(AsyncRaising().parse, results)
    assert request is not None
    await _call(request, _response(request.url))
    assert len(results.errors) == 1
    assert "ValueError: async failure" in results.errors[0][1]


def test_errback_records_the_download_error(conman: ContractsManager, spider: ShopSpider) -> None:
    results = _results()
    request = conman.from_method(spider.parse, results)
    assert request is not None and request.errback is not None
    try:
        raise ConnectionRefusedError("no server")
    except ConnectionRefusedError:
        failure = Failure()
    request.errback(failure)
    assert not results.failures
    case, trace = results.errors[0]
    assert str(case) == "[shop] parse (errback)"
    assert "ConnectionRefusedError: no server" in trace


def test_overriding_the_hook_adders_is_deprecated(recwarn: pytest.WarningsRecorder) -> None:
    class LegacyContract(Contract):
        name = "legacy"

        def add_pre_hook(self, request, results):
            return request

    ContractsManager(DEFAULT_CONTRACTS)
    assert not [w for w in recwarn if w.category is ScrapyDeprecationWarning]
    with pytest.warns(ScrapyDeprecationWarning, match="add_pre_hook"):
        ContractsManager([LegacyContract])


# --- contracts through a real crawl ------------------------------------------------------------


def _contract_app() -> web.Application:
    async def page(request: web.Request) -> web.Response:
        html = "<html><head><title>Shop</title></head><body>ok</body></html>"
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/page", page)
    return app


async def test_contracts_in_a_crawl(aiohttp_server: Any) -> None:
    server = await aiohttp_server(_contract_app())
    url = str(server.make_url("/page"))
    conman = ContractsManager([*DEFAULT_CONTRACTS, TitleContract])
    results = _results()
    visited: list[str] = []

    class CrawledSpider(Spider):
        name = "crawled"

        async def start(self):
            for request in conman.from_spider(self, results):
                yield request

        def parse_first(self, response):
            visited.append("first")
            return {"name": "first", "url": response.url}

        async def parse_second(self, response):
            visited.append("second")
            yield {"name": "second"}

        def parse_missing(self, response):
            visited.append("missing")

    contract = f"@url {url}\n@returns items 1 1\n@scrapes name url\n@title Shop"
    CrawledSpider.parse_first.__doc__ = contract
    CrawledSpider.parse_second.__doc__ = contract
    CrawledSpider.parse_missing.__doc__ = f"@url {server.make_url('/missing')}"
    crawler = await crawl(CrawledSpider)

    # the same URL is fetched for both callbacks: sample requests are never filtered
    assert sorted(visited) == ["first", "second"]
    assert results.testsRun == 8  # @returns, @scrapes, and @title's two hooks, twice
    assert len(results.failures) == 1
    assert "Missing fields: url" in results.failures[0][1]
    assert len(results.errors) == 1  # the 404 reached the errback
    case, trace = results.errors[0]
    assert str(case) == "[crawled] parse_missing (errback)"
    assert "HttpError" in trace
    # the callbacks' output never reaches the crawl
    assert crawler.stats.get_value("item_scraped_count") is None
