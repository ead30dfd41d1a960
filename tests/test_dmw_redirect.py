import logging

import pytest

from ascrapy import signals
from ascrapy.exceptions import IgnoreRequest, NotConfigured
from ascrapy.http import HtmlResponse, Request, Response
from ascrapy.middleware.downloader.redirect import MetaRefreshMiddleware, RedirectMiddleware
from ascrapy.middleware.spider.referer import RefererMiddleware

from .mw_helpers import build

LOGGER = "scrapy.downloadermiddlewares.redirect"


def redirect(mw, request, location, status=302, **headers):
    response = Response(request.url, status=status, headers={"Location": location, **headers})
    return mw.process_response(request, response)


@pytest.fixture
def mw():
    return build(RedirectMiddleware)[0]


def test_disabled():
    with pytest.raises(NotConfigured):
        build(RedirectMiddleware, {"REDIRECT_ENABLED": False})
    with pytest.raises(NotConfigured):
        build(MetaRefreshMiddleware, {"METAREFRESH_ENABLED": False})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_follows_redirect_statuses_with_bookkeeping(mw, status, caplog):
    request = Request("http://a.example/first", priority=3)
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        new = redirect(mw, request, "/second", status)
    assert isinstance(new, Request)
    assert new.url == "http://a.example/second"
    assert new.priority == 3 + 2
    assert new.meta["redirect_times"] == 1
    assert new.meta["redirect_ttl"] == 19
    assert new.meta["redirect_urls"] == ["http://a.example/first"]
    assert new.meta["redirect_reasons"] == [status]
    assert caplog.messages == [f"Redirecting ({status}) to {new} from {request}"]
    third = redirect(mw, new, "/third", 301)
    assert third.meta["redirect_urls"] == ["http://a.example/first", "http://a.example/second"]
    assert third.meta["redirect_reasons"] == [status, 301]


def test_not_followed(mw):
    request = Request("http://a.example/")
    no_location = Response(request.url, status=302)
    assert mw.process_response(request, no_location) is no_location
    ok = Response(request.url, status=200, headers={"Location": "/x"})
    assert mw.process_response(request, ok) is ok
    for meta in ({"dont_redirect": True}, {"handle_httpstatus_list": [302]}, {"handle_httpstatus_all": True}):
        req = Request("http://a.example/", meta=meta)
        response = Response(req.url, status=302, headers={"Location": "/x"})
        assert mw.process_response(req, response) is response
    mw.crawler.spider.handle_httpstatus_list = [302]
    response = Response(request.url, status=302, headers={"Location": "/x"})
    assert mw.process_response(request, response) is response


def test_non_http_target_not_followed(mw):
    request = Request("http://a.example/")
    response = Response(request.url, status=301, headers={"Location": "ftp://a.example/x"})
    assert mw.process_response(request, response) is response


@pytest.mark.parametrize(("status", "method", "becomes_get"), [
    (301, "POST", True), (302, "POST", True), (303, "POST", True), (303, "PUT", True),
    (301, "PUT", False), (302, "DELETE", False), (307, "POST", False), (308, "POST", False),
    (303, "GET", False), (302, "HEAD", False),
])
def test_method_changes(mw, status, method, becomes_get):
    headers = {"Content-Type": "text/plain", "Content-Length": "4", "Content-Language": "en", "X-Keep": "1"}
    request = Request("http://a.example/", method=method, body=b"test", headers=headers)
    new = redirect(mw, request, "/next", status)
    assert new.headers["X-Keep"] == b"1"
    if becomes_get:
        assert new.method == "GET"
        assert new.body == b""
        for name in ("Content-Type", "Content-Length", "Content-Language"):
            assert name not in new.headers
    else:
        assert new.method == method
        assert new.body == b"test"
        assert new.headers["Content-Type"] == b"text/plain"


def test_location_forms(mw):
    request = Request("http://example.com/first#frag")
    assert redirect(mw, request, "http://example.com/next").url == "http://example.com/next#frag"
    assert redirect(mw, request, "/next#other").url == "http://example.com/next#other"
    assert redirect(mw, Request("https://a.example/"), "///b.example/x").url == "https://b.example/x"
    latin1 = "/ação".encode("latin1")
    assert redirect(mw, Request("http://a.example/"), latin1).url == "http://a.example/a%E7%E3o"
    assert redirect(mw, Request("http://a.example/"), "/ação".encode()).url == "http://a.example/a%C3%A7%C3%A3o"


def test_max_redirect_times_and_ttl(mw, caplog):
    mw.max_redirect_times = 1
    request = redirect(mw, Request("http://a.example/"), "/1")
    with caplog.at_level(logging.DEBUG, logger=LOGGER), pytest.raises(IgnoreRequest, match="max redirections"):
        redirect(mw, request, "/2")
    assert caplog.messages == [f"Discarding {request}: max redirections reached"]
    mw.max_redirect_times = 100
    request = redirect(mw, Request("http://a.example/", meta={"redirect_ttl": 1}), "/1")
    with pytest.raises(IgnoreRequest):
        redirect(mw, request, "/2")


def test_cross_origin_header_dropping(mw):
    headers = {"A": "B", "Cookie": "a=b", "Authorization": "Bearer 1"}
    https = Request("https://example.com", headers=headers)
    http = Request("http://example.com", headers=headers)

    def kept(request, location):
        return {name.decode() for name in redirect(mw, request, location).headers}

    everything = {"A", "Cookie", "Authorization"}
    assert kept(https, "https://example.com/a") == everything
    assert kept(https, "https://example.com:443/a") == everything
    assert kept(http, "http://example.com/a") == everything
    assert kept(https, "https://example.com:8080/a") == {"A", "Cookie"}
    assert kept(http, "https://example.com/a") == {"A", "Cookie"}
    assert kept(https, "http://example.com/a") == {"A"}
    assert kept(https, "https://example.org/a") == {"A"}


def test_scheme_change_drops_scheme_proxy(mw):
    meta = {"proxy": "https://p.example", "_auth_proxy": "https://p.example", "_scheme_proxy": True}
    request = Request("http://example.com", meta=meta, headers={"Proxy-Authorization": "Basic x"})
    same = redirect(mw, request, "http://example.com/a")
    assert same.meta["proxy"] == "https://p.example"
    assert same.headers["Proxy-Authorization"] == b"Basic x"
    other = redirect(mw, request, "https://example.com/a")
    assert not {"proxy", "_auth_proxy", "_scheme_proxy"} & set(other.meta)
    assert "Proxy-Authorization" not in other.headers


def test_referer_from_referer_middleware():
    mw, crawler = build(RedirectMiddleware)
    crawler.spider_middlewares.append(build(RefererMiddleware)[0])
    crawler.signals.send_catch_log(signals.engine_started)
    request = Request("https://a.example/1", headers={"Referer": "https://old.example/"})
    assert redirect(mw, request, "https://a.example/2").headers["Referer"] == b"https://a.example/1"
    assert "Referer" not in redirect(mw, request, "http://a.example/2").headers
    new = redirect(mw, request, "http://a.example/2", **{"Referrer-Policy": "unsafe-url"})
    assert new.headers["Referer"] == b"https://a.example/1"


def test_referer_removed_and_warning_without_referer_middleware(caplog):
    mw, crawler = build(RedirectMiddleware)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        crawler.signals.send_catch_log(signals.engine_started)
    assert (
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware found no "
        "scrapy.spidermiddlewares.referer.RefererMiddleware"
    ) in caplog.text
    assert "replace scrapy.downloadermiddlewares.redirect.RedirectMiddleware with a subclass" in caplog.text
    request = Request("http://a.example/1", headers={"Referer": "http://old.example/"})
    assert "Referer" not in redirect(mw, request, "/2").headers


def test_subclass_warning_mentions_editing(caplog):
    class MyRedirect(RedirectMiddleware):
        pass

    _, crawler = build(MyRedirect)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        crawler.signals.send_catch_log(signals.engine_started)
    assert "(if defined in your code base) to override the handle_referer() method" in caplog.text


def refresh_page(url, location, interval=5):
    body = f'<html><head><meta http-equiv="refresh" content="{interval};url={location}"/></head></html>'
    return HtmlResponse(url, body=body.encode())


class TestMetaRefresh:
    @pytest.fixture
    def mw(self):
        return build(MetaRefreshMiddleware)[0]

    def test_follows_with_get(self, mw):
        request = Request("http://example.org", method="POST", body=b"x", headers={"Content-Type": "text/plain"})
        new = mw.process_response(request, refresh_page(request.url, "http://example.org/newpage"))
        assert isinstance(new, Request)
        assert new.url == "http://example.org/newpage"
        assert new.method == "GET"
        assert new.body == b""
        assert "Content-Type" not in new.headers
        assert new.meta["redirect_reasons"] == ["meta refresh"]

    def test_not_followed(self, mw):
        request = Request("http://example.org")
        for response in (
            refresh_page(request.url, "/x", interval=1000),
            refresh_page(request.url, "ftp://example.org/x"),
            Response(request.url, body=refresh_page(request.url, "/x").body),
            HtmlResponse(request.url, body=b'<noscript><meta http-equiv="refresh" content="0;URL=/x"></noscript>'),
        ):
            assert mw.process_response(request, response) is response
        head = Request("http://example.org", method="HEAD")
        response = refresh_page(head.url, "/x")
        assert mw.process_response(head, response) is response
        data = Request("data:,x")
        response = refresh_page(data.url, "http://example.org/x")
        assert mw.process_response(data, response) is response

    def test_ignore_tags_setting(self):
        mw, _ = build(MetaRefreshMiddleware, {"METAREFRESH_IGNORE_TAGS": []})
        request = Request("http://example.org")
        response = HtmlResponse(request.url, body=b'<noscript><meta http-equiv="refresh" content="0;URL=/x"></noscript>')
        assert mw.process_response(request, response).url == "http://example.org/x"

    def test_maxdelay_setting(self):
        mw, _ = build(MetaRefreshMiddleware, {"METAREFRESH_MAXDELAY": 3})
        request = Request("http://example.org")
        response = refresh_page(request.url, "/x", interval=3)
        assert mw.process_response(request, response) is response


async def test_real_crawl_follows_redirects_with_referer(aiohttp_server):
    from aiohttp import web

    import ascrapy

    from .crawl_helpers import crawl

    seen_referers = []

    async def start(request):
        raise web.HTTPFound("/moved")

    async def moved(request):
        seen_referers.append(request.headers.get("Referer"))
        body = '<html><head><meta http-equiv="refresh" content="0;url=/final"></head></html>'
        return web.Response(text=body, content_type="text/html")

    async def final(request):
        return web.Response(text="<html>done</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/start", start)
    app.router.add_get("/moved", moved)
    app.router.add_get("/final", final)
    server = await aiohttp_server(app)
    pages = []

    class Follow(ascrapy.Spider):
        name = "follow"

        def parse(self, response):
            pages.append((response.url, response.meta.get("redirect_reasons")))

    crawler = await crawl(Follow, start_urls=[str(server.make_url("/start"))])
    assert pages == [(str(server.make_url("/final")), [302, "meta refresh"])]
    assert seen_referers == [str(server.make_url("/start"))]
    assert crawler.stats.get_value("downloader/response_status_count/302") == 1
