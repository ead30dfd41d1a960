"""SitemapSpider: sitemap bodies and entries, and a crawl from robots.txt down to pages."""

import gzip
import logging

from aiohttp import web

from ascrapy import signals
from ascrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from ascrapy.spiders import SitemapSpider
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url><loc>http://e.org/product/1</loc><lastmod>2024-01-01</lastmod>
    <xhtml:link rel="alternate" hreflang="de" href="http://e.org/de/product/1"/></url>
  <url><loc>http://e.org/blog/1</loc><lastmod>2001-01-01</lastmod></url>
  <url><loc></loc></url>
  <url><loc>http://e.org/about</loc></url>
</urlset>"""


def spider_for(cls=SitemapSpider, **settings):
    return cls.from_crawler(get_crawler(cls, settings), "example")


class Shop(SitemapSpider):
    name = "shop"
    sitemap_rules = [("/product/", "parse_product"), (r"/blog/", "parse")]

    def parse_product(self, response):
        return None


class TestSitemapBody:
    def test_xml_response_and_xml_urls(self):
        spider = spider_for()
        assert spider._get_sitemap_body(XmlResponse("http://e.org/s", body=b"<x/>")) == b"<x/>"
        assert spider._get_sitemap_body(TextResponse("http://e.org/s.xml", body=b"<x/>")) == b"<x/>"
        assert spider._get_sitemap_body(Response("http://e.org/s.xml.gz", body=b"<x/>")) == b"<x/>"
        assert spider._get_sitemap_body(HtmlResponse("http://e.org/s", body=b"<x/>")) is None

    def test_gzipped_body_is_decoded(self):
        response = Response("http://e.org/s", body=gzip.compress(b"<x/>"), request=Request("http://e.org/s"))
        assert spider_for()._get_sitemap_body(response) == b"<x/>"

    def test_size_limits(self, caplog):
        body = gzip.compress(b"\x00" * 100_000)
        response = Response("http://e.org/s", body=body, request=Request("http://e.org/s"))
        assert spider_for(DOWNLOAD_MAXSIZE=50_000)._get_sitemap_body(response) is None
        limited = Response("http://e.org/s", body=body, request=Request("http://e.org/s", meta={"download_maxsize": 1000}))
        assert spider_for()._get_sitemap_body(limited) is None
        with caplog.at_level(logging.WARNING, logger="scrapy.spiders.sitemap"):
            assert len(spider_for(DOWNLOAD_WARNSIZE=50_000)._get_sitemap_body(response)) == 100_000
        # Only the spider's own records: the crawlers built here log their set-up at INFO when
        # an earlier test left the "scrapy" logger at DEBUG.
        assert [record for record in caplog.record_tuples if record[0] == "scrapy.spiders.sitemap"] == [(
            "scrapy.spiders.sitemap",
            logging.WARNING,
            "<200 http://e.org/s> body size after decompression (100000 B) is larger than "
            "the download warning size (50000 B).",
        )]


class TestParseSitemap:
    def test_rules_pick_the_callback_and_unmatched_pages_are_skipped(self):
        spider = Shop("shop")
        requests = spider._parse_sitemap(XmlResponse("http://e.org/sitemap.xml", body=URLSET))
        assert [(r.url, r.callback) for r in requests] == [
            ("http://e.org/product/1", spider.parse_product),
            ("http://e.org/blog/1", spider.parse),
        ]

    def test_alternate_links_and_filter(self):
        class Recent(Shop):
            sitemap_alternate_links = True

            def sitemap_filter(self, entries):
                return (entry for entry in entries if entry.get("lastmod", "") > "2020")

        requests = Recent("r")._parse_sitemap(XmlResponse("http://e.org/sitemap.xml", body=URLSET))
        assert [r.url for r in requests] == ["http://e.org/product/1", "http://e.org/de/product/1"]

    def test_index_follow_patterns(self):
        index = b"""<sitemapindex><sitemap><loc>http://e.org/s-products.xml</loc></sitemap>
            <sitemap><loc>http://e.org/s-blog.xml</loc></sitemap></sitemapindex>"""

        class Products(SitemapSpider):
            sitemap_follow = [r"products"]

        spider = Products("p")
        requests = spider._parse_sitemap(XmlResponse("http://e.org/index.xml", body=index))
        assert [(r.url, r.callback) for r in requests] == [("http://e.org/s-products.xml", spider._parse_sitemap)]

    def test_robots_txt(self):
        robots = b"User-agent: *\nSitemap: /a.xml\nsitemap: http://other.org/b.xml\n"
        requests = SitemapSpider("s")._parse_sitemap(TextResponse("http://e.org/robots.txt", body=robots))
        assert [r.url for r in requests] == ["http://e.org/a.xml", "http://other.org/b.xml"]

    def test_invalid_sitemaps_are_logged_and_ignored(self, caplog):
        spider = SitemapSpider("s")
        with caplog.at_level(logging.WARNING):
            assert list(spider._parse_sitemap(XmlResponse("http://e.org/s.xml", body=b""))) == []
            assert list(spider._parse_sitemap(XmlResponse("http://e.org/s.xml", body=b"<rss><item/></rss>"))) == []
            assert list(spider._parse_sitemap(HtmlResponse("http://e.org/page", body=b"<p>hi</p>"))) == []
        assert [r.getMessage() for r in caplog.records] == [
            "Ignoring invalid sitemap: <200 http://e.org/s.xml>",
            "Ignoring invalid sitemap: <200 http://e.org/s.xml>",
            "Ignoring invalid sitemap: <200 http://e.org/page>",
        ]


async def test_start_requests_the_sitemap_urls():
    class S(SitemapSpider):
        name = "s"
        sitemap_urls = ["http://e.org/robots.txt", "http://e.org/sitemap.xml"]

    spider = spider_for(S)
    requests = [r async for r in spider.start()]
    assert [r.url for r in requests] == list(S.sitemap_urls)
    assert all(r.callback == spider._parse_sitemap and not r.dont_filter for r in requests)


# -- end to end: robots.txt -> sitemap index -> gzipped sitemaps -> pages --------------

def sitemap_site() -> web.Application:
    def urlset(base: str, paths: list[str]) -> bytes:
        entries = "".join(f"<url><loc>{base}{path}</loc></url>" for path in paths)
        return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()

    async def robots(request):
        return web.Response(text="User-agent: *\nDisallow:\nSitemap: /sitemap-index.xml\n")

    async def index(request):
        base = f"http://{request.host}"
        body = "".join(
            f"<sitemap><loc>{base}{path}</loc></sitemap>"
            for path in ("/sitemap-products.xml.gz", "/sitemap-blog.xml", "/sitemap-ignored.xml")
        )
        return web.Response(body=f"<sitemapindex>{body}</sitemapindex>".encode(), content_type="application/xml")

    async def products(request):
        # A .xml.gz file: gzip bytes, no Content-Encoding; the spider decodes it.
        body = gzip.compress(urlset(f"http://{request.host}", ["/product/1", "/product/2", "/other/3"]))
        return web.Response(body=body, content_type="application/octet-stream")

    async def blog(request):
        # Compressed on the fly: HttpCompressionMiddleware decodes it first.
        body = gzip.compress(urlset(f"http://{request.host}", ["/blog/1"]))
        return web.Response(body=body, headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})

    async def ignored(request):
        raise AssertionError("sitemap_follow should skip this sitemap")

    async def page(request):
        return web.Response(text=f"<html><h1>{request.path}</h1></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/sitemap-index.xml", index)
    app.router.add_get("/sitemap-products.xml.gz", products)
    app.router.add_get("/sitemap-blog.xml", blog)
    app.router.add_get("/sitemap-ignored.xml", ignored)
    app.router.add_get("/{kind}/{n}", page)
    return app


class SiteSpider(SitemapSpider):
    name = "site"
    sitemap_follow = ["products", "blog"]
    sitemap_rules = [("/product/", "parse_product"), ("/blog/", "parse")]

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.items = []
        crawler.signals.connect(spider.collect, signals.item_scraped)
        return spider

    def collect(self, item):
        self.items.append(item)

    def parse_product(self, response):
        yield {"product": response.css("h1::text").get()}

    def parse(self, response):
        yield {"post": response.css("h1::text").get()}


async def test_sitemap_spider_end_to_end(aiohttp_server):
    server = await aiohttp_server(sitemap_site())
    crawler = await crawl(SiteSpider, sitemap_urls=[str(server.make_url("/robots.txt"))])
    items = crawler.spider.items
    assert sorted(items, key=str) == [{"post": "/blog/1"}, {"product": "/product/1"}, {"product": "/product/2"}]
    assert crawler.stats.get_value("response_received_count") == 1 + 1 + 2 + 3
    assert crawler.stats.get_value("spider_exceptions/count") is None
