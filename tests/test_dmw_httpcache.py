import email.utils
import logging
import time
from pathlib import Path

import pytest

from ascrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest, NotConfigured
from ascrapy.extensions import httpcache as httpcache_ext
from ascrapy.extensions.httpcache import parse_cachecontrol, rfc1123_to_epoch
from ascrapy.fingerprint import RequestFingerprinter
from ascrapy.http import HtmlResponse, Request, Response
from ascrapy.middleware.downloader.httpcache import HttpCacheMiddleware

from .mw_helpers import build, open_spider

FILESYSTEM = "ascrapy.extensions.httpcache.FilesystemCacheStorage"
DBM = "ascrapy.extensions.httpcache.DbmCacheStorage"
DUMMY = "ascrapy.extensions.httpcache.DummyPolicy"
RFC2616 = "ascrapy.extensions.httpcache.RFC2616Policy"

# Dates are taken when the module is imported: the freshness margins below (10 minutes)
# keep these tests true however long the suite runs before them.
YESTERDAY = email.utils.formatdate(time.time() - 86400)
TODAY = email.utils.formatdate()
TOMORROW = email.utils.formatdate(time.time() + 86400)


@pytest.fixture
def make(tmp_path):
    """``make(**settings)``: a cache middleware on an opened spider, closed afterwards."""
    built = []

    def factory(**settings):
        settings = {"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path), **settings}
        mw, crawler = build(HttpCacheMiddleware, settings, name="example.com")
        crawler.request_fingerprinter = RequestFingerprinter()
        open_spider(crawler)
        built.append(mw)
        return mw

    yield factory
    for mw in built:
        mw.spider_closed(mw.crawler.spider)


def stats(mw):
    return {k.removeprefix("httpcache/"): v for k, v in mw.crawler.stats.get_stats().items() if k.startswith("httpcache/")}


def roundtrip(mw, request, response):
    """What the engine does: process_request, then (when not answered) the response."""
    cached = mw.process_request(request)
    if cached is not None:
        return mw.process_response(request, cached)
    assert response is not None, "expected a cache hit"
    return mw.process_response(request, response)


def same(a, b):
    return (a.url, a.status, a.headers, a.body) == (b.url, b.status, b.headers, b.body)


def test_disabled_by_default():
    with pytest.raises(NotConfigured):
        build(HttpCacheMiddleware)


@pytest.mark.parametrize("storage", [FILESYSTEM, DBM])
@pytest.mark.parametrize("gzip", [False, True])
def test_dummy_policy_stores_then_serves(make, storage, gzip):
    mw = make(HTTPCACHE_STORAGE=storage, HTTPCACHE_GZIP=gzip)
    request = Request("http://www.example.com", headers={"User-Agent": "test"})
    response = Response(request.url, status=202, headers={"Content-Type": "text/html"}, body=b"test body")
    assert mw.process_request(request) is None
    assert mw.process_response(request, response) is response
    assert "Date" in response.headers
    cached = mw.process_request(request)
    assert isinstance(cached, HtmlResponse)
    assert same(cached, response)
    assert cached.flags == ["cached"]
    assert mw.process_response(request, cached) is cached
    assert stats(mw) == {"miss": 1, "firsthand": 1, "store": 1, "hit": 1}


def test_filesystem_layout_is_scrapys(make, tmp_path):
    mw = make()
    request = Request("http://www.example.com/page", method="POST", body=b"q=1")
    mw.process_response(request, Response(request.url, body=b"body", headers={"X-A": "1"}))
    key = RequestFingerprinter().fingerprint(request).hex()
    entry = tmp_path / "example.com" / key[:2] / key
    assert sorted(p.name for p in entry.iterdir()) == [
        "meta", "pickled_meta", "request_body", "request_headers", "response_body", "response_data", "response_headers",
    ]
    assert (entry / "response_body").read_bytes() == b"body"
    assert (entry / "request_body").read_bytes() == b"q=1"
    assert b"X-A: 1" in (entry / "response_headers").read_bytes()
    assert "'method': 'POST'" in (entry / "meta").read_text()


@pytest.mark.parametrize("storage", [FILESYSTEM, DBM])
def test_response_class_and_encoding_survive(make, storage):
    mw = make(HTTPCACHE_STORAGE=storage)
    request = Request("http://www.example.com")
    html = HtmlResponse(request.url, body='<meta charset="iso-8859-1">€'.encode(), encoding="utf-8")
    mw.storage.store_response(mw.crawler.spider, request, html)
    cached = mw.storage.retrieve_response(mw.crawler.spider, request)
    assert type(cached) is HtmlResponse
    assert cached.encoding == "utf-8"
    assert cached.text == html.text
    sniffed = Response(request.url, body=b"<!DOCTYPE html>\n<title>.</title>")
    mw.storage.store_response(mw.crawler.spider, request, sniffed)
    assert isinstance(mw.storage.retrieve_response(mw.crawler.spider, request), HtmlResponse)


def test_entry_without_response_data_is_read_as_before(make):
    mw = make()
    request = Request("http://www.example.com")
    mw.storage.store_response(mw.crawler.spider, request, Response(request.url, headers={"Content-Type": "text/html"}))
    Path(mw.storage._get_request_path(mw.crawler.spider, request), "response_data").unlink()
    assert isinstance(mw.storage.retrieve_response(mw.crawler.spider, request), HtmlResponse)


@pytest.mark.parametrize("storage", [FILESYSTEM, DBM])
def test_expiration(make, storage, monkeypatch):
    mw = make(HTTPCACHE_STORAGE=storage, HTTPCACHE_EXPIRATION_SECS=100)
    request = Request("http://www.example.com")
    before = time.time()
    mw.storage.store_response(mw.crawler.spider, request, Response(request.url))
    assert mw.storage.retrieve_response(mw.crawler.spider, request) is not None
    assert before <= request.meta["cache_timestamp"] <= time.time()
    monkeypatch.setattr(httpcache_ext, "time", lambda: time.time() + 101)
    assert mw.storage.retrieve_response(mw.crawler.spider, request) is None


def test_never_expires_by_default(make, monkeypatch):
    mw = make()
    request = Request("http://www.example.com")
    mw.storage.store_response(mw.crawler.spider, request, Response(request.url))
    monkeypatch.setattr(httpcache_ext, "time", lambda: time.time() + 10**6)
    assert mw.storage.retrieve_response(mw.crawler.spider, request) is not None


def test_corrupted_entry_is_a_miss(make, caplog):
    mw = make()
    request = Request("http://www.example.com")
    mw.storage.store_response(mw.crawler.spider, request, Response(request.url))
    Path(mw.storage._get_request_path(mw.crawler.spider, request), "response_body").unlink()
    with caplog.at_level(logging.WARNING):
        assert mw.process_request(request) is None
    assert "treating it as a cache miss" in caplog.text
    assert stats(mw) == {"retrieve_error": 1, "miss": 1}


def test_dont_cache_meta(make):
    mw = make()
    request = Request("http://www.example.com", meta={"dont_cache": True})
    assert mw.process_request(request) is None
    mw.process_response(request, Response(request.url))
    assert mw.storage.retrieve_response(mw.crawler.spider, request) is None
    assert stats(mw) == {}


def test_ignore_missing(make):
    mw = make(HTTPCACHE_IGNORE_MISSING=True)
    request = Request("http://www.example.com")
    with pytest.raises(IgnoreRequest, match="Ignored request not in cache"):
        mw.process_request(request)
    assert stats(mw) == {"miss": 1, "ignore": 1}


def test_ignore_schemes_and_codes(make):
    mw = make(HTTPCACHE_IGNORE_SCHEMES=["file", "s3"], HTTPCACHE_IGNORE_HTTP_CODES=[404])
    for url in ("file:///tmp/t.txt", "s3://bucket/key"):
        request = Request(url)
        assert mw.process_request(request) is None
        mw.process_response(request, Response(url))
        assert mw.storage.retrieve_response(mw.crawler.spider, request) is None
        assert "_dont_cache" not in request.meta
    request = Request("http://www.example.com/missing")
    roundtrip(mw, request, Response(request.url, status=404))
    assert mw.process_request(request) is None
    assert stats(mw)["uncacheable"] == 1


def test_dummy_policy_keeps_cached_copy_when_revalidation_is_forced(make):
    class AlwaysStale(httpcache_ext.DummyPolicy):
        def is_cached_response_fresh(self, cachedresponse, request):
            return False

    mw = make(HTTPCACHE_POLICY=AlwaysStale)
    request = Request("http://www.example.com")
    original = Response(request.url, body=b"old")
    roundtrip(mw, request, original)
    assert mw.process_request(request) is None
    kept = mw.process_response(request, Response(request.url, body=b"new"))
    assert kept.body == b"old" and "cached" in kept.flags
    assert stats(mw)["revalidate"] == 1


# -- RFC2616Policy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cacheable", "status", "headers"),
    [
        (False, 304, {"Cache-Control": "max-age=3600"}),
        (False, 200, {"Cache-Control": "no-store, max-age=300"}),
        (False, 200, {}),
        (False, 302, {}),
        (False, 404, {}),
        (True, 200, {"Last-Modified": YESTERDAY}),
        (True, 401, {"ETag": "foo"}),
        (True, 301, {}),
        (True, 404, {"Cache-Control": "public, max-age=600"}),
        (True, 302, {"Expires": TOMORROW}),
    ],
)
def test_rfc2616_response_cacheability(make, cacheable, status, headers):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    request = Request("http://example.com")
    roundtrip(mw, request, Response(request.url, status=status, headers=headers))
    assert (mw.storage.retrieve_response(mw.crawler.spider, request) is not None) is cacheable
    always = make(HTTPCACHE_POLICY=RFC2616, HTTPCACHE_ALWAYS_STORE=True)
    assert always.policy.should_cache_response(Response(request.url, status=status, headers=headers), request) is (
        status != 304 and "no-store" not in headers.get("Cache-Control", "")
    )


def test_rfc2616_request_no_store_and_no_cache(make):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    response = Response("http://example.com", headers={"Expires": TOMORROW})
    no_store = Request("http://example.com", headers={"Cache-Control": "no-store"})
    roundtrip(mw, no_store, response)
    assert mw.storage.retrieve_response(mw.crawler.spider, no_store) is None
    plain = Request("http://example.com")
    roundtrip(mw, plain, response)
    assert "cached" in mw.process_request(Request("http://example.com")).flags
    no_cache = Request("http://example.com", headers={"Cache-Control": "no-cache"})
    assert mw.process_request(no_cache) is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Date": YESTERDAY, "Expires": TOMORROW},
        {"Date": YESTERDAY, "Cache-Control": "max-age=87000"},
        {"Age": "299", "Cache-Control": "max-age=300"},
        {"Expires": TOMORROW},
        {"Date": TODAY, "Last-Modified": YESTERDAY, "Age": str(86400 // 10 - 600)},
        {"Date": TOMORROW, "Cache-Control": "max-age=10"},  # server clock ahead of ours
    ],
)
def test_rfc2616_fresh_responses_served_without_download(make, headers):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    request = Request("http://example.com")
    roundtrip(mw, request, Response(request.url, headers=headers))
    assert "cached" in mw.process_request(Request("http://example.com")).flags
    assert mw.process_request(Request("http://example.com", headers={"Cache-Control": "max-age=0"})) is None


def test_rfc2616_stale_response_is_revalidated(make):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    headers = {"Date": YESTERDAY, "Cache-Control": "max-age=60", "ETag": "v1", "Last-Modified": YESTERDAY,
               "Warning": ["110 - old", "214 - keep"]}
    roundtrip(mw, Request("http://example.com"), Response("http://example.com", body=b"v1", headers=headers))
    request = Request("http://example.com")
    assert mw.process_request(request) is None
    assert request.headers["If-None-Match"] == b"v1"
    assert request.headers["If-Modified-Since"] == YESTERDAY.encode()
    now = email.utils.formatdate()  # not TODAY: the module may have been imported minutes ago
    revalidated = mw.process_response(request, Response(request.url, status=304, headers={"Date": now}))
    assert revalidated.status == 200 and revalidated.body == b"v1" and "cached" in revalidated.flags
    assert revalidated.headers["Date"] == now.encode()
    assert revalidated.headers.getlist("Warning") == [b"214 - keep"]
    assert "cached" in mw.process_request(Request("http://example.com")).flags  # fresh again
    assert stats(mw)["revalidate"] == 1


@pytest.mark.parametrize(("cache_control", "survives_500"), [("", True), ("must-revalidate", False)])
def test_rfc2616_server_error_keeps_stale_copy(make, cache_control, survives_500):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    headers = {"Expires": YESTERDAY, "ETag": "x", "Cache-Control": cache_control}
    roundtrip(mw, Request("http://example.com"), Response("http://example.com", body=b"old", headers=headers))
    request = Request("http://example.com")
    assert mw.process_request(request) is None
    result = mw.process_response(request, Response(request.url, status=500))
    assert (result.body == b"old") is survives_500
    assert stats(mw)["revalidate" if survives_500 else "invalidate"] == 1


def test_rfc2616_new_content_replaces_stale_copy(make):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    roundtrip(mw, Request("http://example.com"), Response("http://example.com", body=b"old", headers={"Expires": YESTERDAY}))
    request = Request("http://example.com")
    assert mw.process_request(request) is None
    assert "cache_timestamp" in request.meta
    new = Response(request.url, body=b"new", headers={"Expires": TOMORROW})
    assert mw.process_response(request, new) is new
    assert "cache_timestamp" not in request.meta
    assert mw.process_request(Request("http://example.com")).body == b"new"
    assert stats(mw)["invalidate"] == 1


def test_rfc2616_max_stale(make):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    roundtrip(mw, Request("http://example.com"), Response("http://example.com", headers={"Date": YESTERDAY, "Expires": YESTERDAY}))
    for value, served in (("max-stale", True), ("max-stale=172800", True), ("max-stale=60", False), ("max-stale=soon", False)):
        result = mw.process_request(Request("http://example.com", headers={"Cache-Control": value}))
        assert (result is not None) is served, value


def test_rfc2616_ignored_response_cache_controls(make):
    mw = make(HTTPCACHE_POLICY=RFC2616, HTTPCACHE_IGNORE_RESPONSE_CACHE_CONTROLS=["no-cache", "no-store"])
    headers = {"Date": YESTERDAY, "Cache-Control": "no-store,no-cache,max-age=87000"}
    roundtrip(mw, Request("http://example.com"), Response("http://example.com", headers=headers))
    assert "cached" in mw.process_request(Request("http://example.com")).flags


@pytest.mark.parametrize("error", [DownloadTimeoutError("t"), DownloadConnectionRefusedError("r"), OSError("o")])
def test_download_error_falls_back_to_stale_copy(make, error):
    mw = make(HTTPCACHE_POLICY=RFC2616)
    roundtrip(mw, Request("http://example.com"), Response("http://example.com", body=b"old", headers={"Expires": YESTERDAY}))
    request = Request("http://example.com")
    assert mw.process_request(request) is None
    recovered = mw.process_exception(request, error)
    assert recovered.body == b"old" and "cached" in recovered.flags
    assert stats(mw)["errorrecovery"] == 1
    again = Request("http://example.com")
    mw.process_request(again)
    assert mw.process_exception(again, ValueError("not a download error")) is None


def test_parse_cachecontrol():
    assert parse_cachecontrol(b"public, max-age=3600") == {b"public": None, b"max-age": b"3600"}
    assert parse_cachecontrol(b"No-Cache, ,max-stale=") == {b"no-cache": None, b"max-stale": b""}
    assert parse_cachecontrol(b"") == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784111777),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784111777),
        ("Sun Nov  6 08:49:37 1994", 784111777),
        (b"Sun, 06 Nov 1994 08:49:37 GMT", 784111777),
        (None, None),
        ("foo", None),
        (b"\xff", None),
    ],
)
def test_rfc1123_to_epoch(value, expected):
    assert rfc1123_to_epoch(value) == expected


async def test_second_crawl_is_served_from_the_filesystem_cache(aiohttp_server, tmp_path):
    from aiohttp import web

    import ascrapy

    from .crawl_helpers import crawl

    hits = []

    async def page(request):
        hits.append(request.path)
        number = int(request.match_info["n"])
        link = f'<a href="/page/{number + 1}">next</a>' if number < 3 else ""
        return web.Response(text=f"<html><title>Page {number}</title>{link}</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/page/{n}", page)
    server = await aiohttp_server(app)
    start_url = str(server.make_url("/page/1"))

    class Pages(ascrapy.Spider):
        name = "pages"

        def parse(self, response):
            yield {"title": response.css("title::text").get(), "cached": "cached" in response.flags}
            yield from response.follow_all(css="a", callback=self.parse)

    settings = {
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str(tmp_path / "cache"),
        # Named explicitly: the same key as in DOWNLOADER_MIDDLEWARES_BASE.
        "DOWNLOADER_MIDDLEWARES": {"ascrapy.middleware.downloader.httpcache.HttpCacheMiddleware": 900},
    }

    first = await crawl(Pages, settings, start_urls=[start_url])
    assert sorted(hits) == ["/page/1", "/page/2", "/page/3"]
    assert first.stats.get_value("httpcache/store") == 3
    assert first.stats.get_value("httpcache/miss") == 3
    await server.close()

    second_items = []

    class CachedPages(Pages):
        def parse(self, response):
            for result in super().parse(response):
                if isinstance(result, dict):
                    second_items.append(result)
                yield result

    second = await crawl(CachedPages, settings, start_urls=[start_url])
    assert len(hits) == 3
    assert sorted(item["title"] for item in second_items) == ["Page 1", "Page 2", "Page 3"]
    assert all(item["cached"] for item in second_items)
    stats = second.stats.get_stats()
    assert stats["httpcache/hit"] == 3
    assert "httpcache/miss" not in stats
    assert stats["item_scraped_count"] == 3
    assert not [key for key in stats if key.startswith("downloader/exception")]
