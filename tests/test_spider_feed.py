"""XMLFeedSpider and CSVFeedSpider: node and row parsing, and crawls of local feeds."""

import pytest
from aiohttp import web

from ascrapy import signals
from ascrapy.exceptions import NotSupported
from ascrapy.http import Response, XmlResponse
from ascrapy.spiders import CSVFeedSpider, XMLFeedSpider

from .crawl_helpers import crawl

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:g="http://base.google.com/ns/1.0"><channel>
  <item><title>One</title><g:price>10</g:price></item>
  <item><title>Two</title><g:price>20</g:price></item>
</channel></rss>"""


class Products(XMLFeedSpider):
    name = "products"
    namespaces = [("g", "http://base.google.com/ns/1.0")]

    def parse_node(self, response, selector):
        return {"title": selector.xpath("title/text()").get(), "price": selector.xpath("g:price/text()").get()}


EXPECTED = [{"title": "One", "price": "10"}, {"title": "Two", "price": "20"}]


class TestXMLFeedSpider:
    @pytest.mark.parametrize("iterator", ["iternodes", "xml"])
    def test_iterators_with_namespaces(self, iterator):
        spider = Products(iterator=iterator)
        assert list(spider._parse(XmlResponse("http://e.org/feed", body=RSS))) == EXPECTED

    def test_html_iterator(self):
        class Html(Products):
            iterator = "html"
            namespaces = ()

            def parse_node(self, response, selector):
                return selector.xpath("title/text()").get()

        assert list(Html()._parse(XmlResponse("http://e.org/f", body=RSS))) == ["One", "Two"]

    def test_adapt_response_and_process_results(self):
        class Adapted(Products):
            def adapt_response(self, response):
                return response.replace(body=response.body.replace(b"One", b"Uno"))

            def process_results(self, response, results):
                return [dict(result, url=response.url) for result in results]

        output = list(Adapted()._parse(XmlResponse("http://e.org/feed", body=RSS)))
        assert output[0] == {"title": "Uno", "price": "10", "url": "http://e.org/feed"}

    def test_parse_item_is_the_old_name_of_parse_node(self):
        class Old(XMLFeedSpider):
            name = "old"

            def parse_item(self, response, selector):
                return [selector.xpath("title/text()").get()]

        assert list(Old()._parse(XmlResponse("http://e.org/f", body=RSS))) == ["One", "Two"]

    def test_errors(self):
        with pytest.raises(NotImplementedError):
            list(XMLFeedSpider("x")._parse(XmlResponse("http://e.org/f", body=RSS)))
        with pytest.raises(NotSupported, match="Unsupported node iterator"):
            Products(iterator="regex")._parse(XmlResponse("http://e.org/f", body=RSS))
        with pytest.raises(ValueError, match="Response content isn't text"):
            Products(iterator="xml")._parse(Response("http://e.org/f", body=RSS))


CSV = b"id;name\n1;'a;b'\n2;c\n3\n"


class Rows(CSVFeedSpider):
    name = "rows"
    delimiter = ";"
    quotechar = "'"

    def parse_row(self, response, row):
        return row


class TestCSVFeedSpider:
    def test_rows_with_delimiter_and_quotechar(self):
        assert list(Rows()._parse(Response("http://e.org/f.csv", body=CSV))) == [
            {"id": "1", "name": "a;b"},
            {"id": "2", "name": "c"},
        ]

    def test_given_headers_and_process_results(self):
        class Headed(Rows):
            headers = ["x", "y"]

            def process_results(self, response, results):
                return [result for result in results if result["x"] != "id"]

        assert [row["x"] for row in Headed().parse_rows(Response("http://e.org/f", body=CSV))] == ["1", "2"]

    def test_parse_row_must_be_defined(self):
        with pytest.raises(NotImplementedError):
            list(CSVFeedSpider("c")._parse(Response("http://e.org/f", body=CSV)))


# -- end to end --------------------------------------------------------------------------

def feed_app() -> web.Application:
    async def rss(request):
        return web.Response(body=RSS, content_type="application/rss+xml")

    async def csv_feed(request):
        return web.Response(body=CSV, content_type="text/csv")

    async def binary(request):
        return web.Response(body=b"\x00\x01\x02", content_type="application/octet-stream")

    app = web.Application()
    app.router.add_get("/feed.rss", rss)
    app.router.add_get("/feed.csv", csv_feed)
    app.router.add_get("/feed.bin", binary)
    return app


def collecting(spidercls):
    class Collecting(spidercls):
        @classmethod
        def from_crawler(cls, crawler, *args, **kwargs):
            spider = super().from_crawler(crawler, *args, **kwargs)
            spider.items = []
            crawler.signals.connect(spider.collect, signals.item_scraped)
            return spider

        def collect(self, item):
            self.items.append(item)

    return Collecting


async def test_xml_feed_crawl(aiohttp_server):
    server = await aiohttp_server(feed_app())
    crawler = await crawl(collecting(Products), start_urls=[str(server.make_url("/feed.rss"))])
    assert crawler.spider.items == EXPECTED


async def test_csv_feed_crawl(aiohttp_server):
    server = await aiohttp_server(feed_app())
    crawler = await crawl(collecting(Rows), start_urls=[str(server.make_url("/feed.csv"))])
    assert crawler.spider.items == [{"id": "1", "name": "a;b"}, {"id": "2", "name": "c"}]


async def test_feed_errors_are_counted_as_spider_exceptions(aiohttp_server):
    server = await aiohttp_server(feed_app())
    crawler = await crawl(Products, start_urls=[str(server.make_url("/feed.bin"))], iterator="xml")
    assert crawler.stats.get_value("spider_exceptions/ValueError") == 1
    crawler = await crawl(Products, start_urls=[str(server.make_url("/feed.rss"))], iterator="nope")
    assert crawler.stats.get_value("spider_exceptions/NotSupported") == 1
