"""CrawlSpider and Rule: unit checks of link following, and real crawls of a local site."""

import warnings

import pytest
from aiohttp import web

from ascrapy import signals
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import HtmlResponse, Request, TextResponse
from ascrapy.linkextractors import LinkExtractor
from ascrapy.spiders import CrawlSpider, Rule, Spider
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl

BODY = b"""<html><body>
<a href="item/12.html">Item 12</a>
<div class="links"><a href="/about.html">About us</a></div>
<a href="/nofollow.html">Nope</a>
</body></html>"""
PAGE_URL = "http://example.org/somepage/index.html"


def page():
    return HtmlResponse(PAGE_URL, body=BODY)


class TestRule:
    def test_follow_defaults_to_having_no_callback(self):
        assert Rule().follow is True
        assert Rule(callback="parse_item").follow is False
        assert Rule(callback="parse_item", follow=True).follow is True

    def test_rules_are_compiled_per_spider_without_touching_the_class_rules(self):
        rule = Rule(LinkExtractor(), callback="parse_item", process_links="keep")

        class Compiled(CrawlSpider):
            name = "c"
            rules = (rule,)

            def parse_item(self, response):
                return None

            def keep(self, links):
                return links

        spider = Compiled()
        assert spider._rules[0].callback == spider.parse_item
        assert spider._rules[0].process_links == spider.keep
        assert rule.callback == "parse_item"


class TestRequestsToFollow:
    def spider(self, *rules, **methods):
        cls = type("S", (CrawlSpider,), {"name": "s", "rules": rules, **methods})
        return cls()

    def test_one_request_per_link_with_rule_and_text_meta(self):
        requests = list(self.spider(Rule())._requests_to_follow(page()))
        assert [r.url for r in requests] == [
            "http://example.org/somepage/item/12.html",
            "http://example.org/about.html",
            "http://example.org/nofollow.html",
        ]
        assert requests[1].meta == {"rule": 0, "link_text": "About us"}
        assert requests[1].callback.__name__ == "_callback"
        assert requests[1].errback.__name__ == "_errback"

    def test_a_link_goes_to_the_first_rule_that_finds_it(self):
        spider = self.spider(Rule(LinkExtractor(allow="about")), Rule(LinkExtractor()))
        assert [r.meta["rule"] for r in spider._requests_to_follow(page())] == [0, 1, 1]

    def test_process_links_by_name_or_callable_and_generators(self):
        def only_about(links):
            yield from (link for link in links if "about" in link.url)

        spider = self.spider(Rule(process_links="drop_nofollow"), drop_nofollow=lambda self, links: links[:2])
        assert len(list(spider._requests_to_follow(page()))) == 2
        spider = self.spider(Rule(process_links=only_about))
        assert [r.url for r in spider._requests_to_follow(page())] == ["http://example.org/about.html"]

    def test_process_request_gets_the_response_and_may_drop(self):
        def rewrite(request, response):
            if "nofollow" in request.url:
                return None
            return request.replace(meta={**request.meta, "from": type(response).__name__})

        requests = list(self.spider(Rule(process_request=rewrite))._requests_to_follow(page()))
        assert len(requests) == 2
        assert requests[0].meta["from"] == "HtmlResponse"

    def test_only_html_is_followed(self):
        response = TextResponse(PAGE_URL, body=BODY)
        assert list(self.spider(Rule())._requests_to_follow(response)) == []


async def test_parse_with_rules_runs_callback_then_follows():
    class S(CrawlSpider):
        name = "s"
        rules = (Rule(LinkExtractor(allow="about")),)

        def process_results(self, response, results):
            return [dict(result, processed=True) for result in results]

    spider = S.from_crawler(get_crawler(S))

    async def callback(response, extra):
        return [{"extra": extra}]

    output = [x async for x in spider.parse_with_rules(page(), callback, {"extra": 1})]
    assert output[0] == {"extra": 1, "processed": True}
    assert [r.url for r in output[1:]] == ["http://example.org/about.html"]
    assert [x async for x in spider.parse_with_rules(page(), callback, {"extra": 1}, follow=False)] == [
        {"extra": 1, "processed": True}
    ]


def test_follow_links_setting_is_deprecated_and_stops_following():
    with pytest.warns(ScrapyDeprecationWarning, match="CRAWLSPIDER_FOLLOW_LINKS"):
        spider = CrawlSpider.from_crawler(get_crawler(settings_dict={"CRAWLSPIDER_FOLLOW_LINKS": False}), "x")
    assert spider._follow_links is False


def test_parse_response_is_deprecated():
    class Plain(CrawlSpider):
        name = "p"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spider = Plain()
    with pytest.warns(ScrapyDeprecationWarning, match=r"_parse_response method is deprecated"):
        spider._parse_response(page(), None, {})

    with pytest.warns(ScrapyDeprecationWarning, match=r"_parse_response method, which the"):
        type("Overriding", (CrawlSpider,), {"name": "o", "_parse_response": lambda self, *a: None})()


def test_is_a_spider():
    assert isinstance(CrawlSpider(name="foo"), Spider)


# -- end to end ------------------------------------------------------------------------

def shop_app() -> web.Application:
    def html(body: str) -> web.Response:
        return web.Response(text=f"<html><body>{body}</body></html>", content_type="text/html")

    async def home(request):
        return html(
            '<a href="/cat/1">Cat 1</a><a href="/cat/2">Cat 2</a>'
            '<a href="/item/0">Item 0</a><a href="/missing">Gone</a><a href="/doc.pdf">PDF</a>'
        )

    async def category(request):
        n = int(request.match_info["n"])
        return html("".join(f'<a href="/item/{n * 10 + i}">Item {n * 10 + i}</a>' for i in range(3)))

    async def item(request):
        # An item page links on, but rules with a callback do not follow by default.
        return html(f'<h1>{request.match_info["n"]}</h1><a href="/item/999">More</a><a href="/cat/3">Cat 3</a>')

    async def missing(request):
        return web.Response(status=404, text="no")

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/cat/{n}", category)
    app.router.add_get("/item/{n}", item)
    app.router.add_get("/missing", missing)
    return app


def record_error(failure):
    return [{"error": failure.value.response.status, "rule": failure.request.meta["rule"]}]


class ShopSpider(CrawlSpider):
    name = "shop"
    rules = (
        Rule(LinkExtractor(allow=r"/cat/"), process_links="skip_cat_2"),
        Rule(
            LinkExtractor(allow=r"/item/"),
            callback="parse_item",
            cb_kwargs={"source": "rule"},
            process_request="tag",
        ),
        Rule(LinkExtractor(allow=r"/missing"), callback="parse_item", errback=record_error),
    )

    def parse_start_url(self, response):
        return {"start": response.url}

    def skip_cat_2(self, links):
        return [link for link in links if not link.url.endswith("/2")]

    def tag(self, request, response):
        request.cb_kwargs["via"] = response.url.rsplit("/", 1)[1] or "home"
        return request

    def parse_item(self, response, source, via):
        yield {"item": int(response.css("h1::text").get()), "source": source, "via": via,
               "text": response.meta["link_text"]}


async def test_crawl_spider_end_to_end(aiohttp_server):
    server = await aiohttp_server(shop_app())
    crawler = await crawl(ShopSpider, start_urls=[str(server.make_url("/"))])
    items = crawler.stats.get_value("item_scraped_count")
    assert items == 1 + 1 + 3 + 1  # start page, item 0, cat 1's items, the 404 errback
    assert crawler.stats.get_value("downloader/response_status_count/404") == 1
    visited = crawler.stats.get_value("response_received_count")
    assert visited == 1 + 1 + 1 + 3 + 1  # home, cat 1, item 0, items 10-12, missing
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_crawl_spider_items_carry_cb_kwargs_and_link_text(aiohttp_server):
    server = await aiohttp_server(shop_app())
    collected = []

    class Collector(ShopSpider):
        name = "collector"

        @classmethod
        def from_crawler(cls, crawler, *args, **kwargs):
            spider = super().from_crawler(crawler, *args, **kwargs)
            crawler.signals.connect(spider.on_item, signals.item_scraped)
            return spider

        def on_item(self, item):
            collected.append(item)

    await crawl(Collector, start_urls=[str(server.make_url("/"))])
    by_item = {item["item"]: item for item in collected if "item" in item}
    assert sorted(by_item) == [0, 10, 11, 12]
    assert by_item[0] == {"item": 0, "source": "rule", "via": "home", "text": "Item 0"}
    assert by_item[11]["via"] == "1"
    assert {"error": 404, "rule": 2} in collected
    assert {"start": str(server.make_url("/"))} in collected


async def test_async_callbacks_and_callable_rules(aiohttp_server):
    server = await aiohttp_server(shop_app())
    seen = []

    async def parse_async(response):
        seen.append(response.url)
        return {"url": response.url}

    class AsyncShop(CrawlSpider):
        name = "async_shop"
        rules = (
            Rule(LinkExtractor(allow=r"/cat/1$")),
            Rule(LinkExtractor(allow=r"/item/1\d$"), callback=parse_async),
            Rule(LinkExtractor(allow=r"/item/0$"), callback="parse_gen"),
        )

        async def parse_gen(self, response):
            yield {"gen": response.url}
            yield Request(response.urljoin("/item/5"), callback=self.parse_plain)

        def parse_plain(self, response):
            return {"plain": response.url}

    crawler = await crawl(AsyncShop, start_urls=[str(server.make_url("/"))])
    assert sorted(url.rsplit("/", 1)[1] for url in seen) == ["10", "11", "12"]
    # 3 from the async rule callback, 1 from the async generator, 1 from its request.
    assert crawler.stats.get_value("item_scraped_count") == 5
