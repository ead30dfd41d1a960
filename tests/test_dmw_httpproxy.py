import base64
import logging

import pytest

from ascrapy.exceptions import NotConfigured
from ascrapy.http import Request
from ascrapy.middleware.downloader.httpproxy import HttpProxyMiddleware

from .mw_helpers import build

PROXY_VARIABLES = ("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def clean_proxy_environment(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def basic(user_pass: bytes) -> bytes:
    return b"Basic " + base64.b64encode(user_pass)


def processed(mw, request):
    assert mw.process_request(request) is None
    return request


def test_disabled():
    with pytest.raises(NotConfigured):
        build(HttpProxyMiddleware, {"HTTPPROXY_ENABLED": False})
    assert build(HttpProxyMiddleware, {"HTTPPROXY_AUTH_ENCODING": "utf-8"})[0].auth_encoding == "utf-8"


def test_no_proxies_leaves_requests_untouched():
    mw = HttpProxyMiddleware()
    for url in ("http://e.com", "https://e.com", "file:///tmp/a"):
        request = processed(mw, Request(url))
        assert request.meta == {}
        assert "Proxy-Authorization" not in request.headers


def test_environment_proxies_by_scheme(clean_proxy_environment):
    env = clean_proxy_environment
    env.setenv("http_proxy", "https://proxy.for.http:3128")
    env.setenv("https_proxy", "http://proxy.for.https:8080")
    mw = HttpProxyMiddleware()
    assert processed(mw, Request("http://e.com")).meta == {"proxy": "https://proxy.for.http:3128", "_scheme_proxy": True}
    assert processed(mw, Request("https://e.com")).meta["proxy"] == "http://proxy.for.https:8080"
    assert "proxy" not in processed(mw, Request("file:///tmp/a")).meta


def test_environment_proxy_without_scheme_uses_the_variable_scheme(clean_proxy_environment):
    clean_proxy_environment.setenv("http_proxy", "proxy.local:3128")
    mw = HttpProxyMiddleware()
    assert processed(mw, Request("http://e.com")).meta["proxy"] == "http://proxy.local:3128"


def test_environment_credentials_become_a_header(clean_proxy_environment):
    clean_proxy_environment.setenv("http_proxy", "https://user:pass@proxy:3128")
    mw = HttpProxyMiddleware()
    request = processed(mw, Request("http://e.com"))
    assert request.meta["proxy"] == "https://proxy:3128"
    assert request.headers["Proxy-Authorization"] == basic(b"user:pass")


@pytest.mark.parametrize(
    ("no_proxy", "proxied"),
    [("*", False), ("other.com", True), ("other.com,noproxy.com", False), (".noproxy.com", False), ("proxy.com", True)],
)
def test_no_proxy(clean_proxy_environment, no_proxy, proxied):
    clean_proxy_environment.setenv("http_proxy", "https://proxy.for.http:3128")
    clean_proxy_environment.setenv("no_proxy", no_proxy)
    mw = HttpProxyMiddleware()
    assert ("proxy" in processed(mw, Request("http://noproxy.com")).meta) is proxied


def test_meta_proxy_beats_environment_and_no_proxy(clean_proxy_environment):
    clean_proxy_environment.setenv("http_proxy", "https://proxy.com")
    clean_proxy_environment.setenv("no_proxy", "*")
    mw = HttpProxyMiddleware()
    request = processed(mw, Request("http://e.com", meta={"proxy": "http://mine.com"}))
    assert request.meta == {"proxy": "http://mine.com"}
    disabled = processed(mw, Request("http://e.com", meta={"proxy": None}))
    assert disabled.meta == {"proxy": None}


def test_unparseable_environment_values_are_skipped(clean_proxy_environment):
    clean_proxy_environment.setenv("no_proxy", "/var/run/docker.sock")
    assert "no" not in HttpProxyMiddleware().proxies


@pytest.mark.parametrize(
    ("proxy", "header"),
    [
        ("https://username:password@proxy:3128", basic(b"username:password")),
        ("https://username:@proxy:3128", basic(b"username:")),
        ("https://user%40corp:p%3Ass@proxy:3128", basic(b"user@corp:p:ss")),
        ("https://user@proxy:3128", basic(b"user:")),
    ],
)
def test_meta_credentials_move_into_the_header(proxy, header):
    request = processed(HttpProxyMiddleware(), Request("http://e.com", meta={"proxy": proxy}))
    assert request.meta["proxy"] == "https://proxy:3128"
    assert request.headers["Proxy-Authorization"] == header


def test_auth_encoding():
    latin = processed(HttpProxyMiddleware(), Request("http://e.com", meta={"proxy": "https://\u00fcser:pass@proxy"}))
    assert latin.headers["Proxy-Authorization"] == basic("\u00fcser:pass".encode("latin-1"))
    utf8 = processed(
        HttpProxyMiddleware(auth_encoding="utf-8"), Request("http://e.com", meta={"proxy": "https://\u00fcser:pass@proxy"})
    )
    assert utf8.headers["Proxy-Authorization"] == basic("\u00fcser:pass".encode())


def test_unparseable_meta_proxy_is_cleared():
    request = processed(HttpProxyMiddleware(), Request("http://e.com", meta={"proxy": "//"}))
    assert request.meta["proxy"] is None


class TestProxyChanges:
    """A request processed again (retries, redirects) after its proxy meta changed."""

    def setup_method(self):
        self.mw = HttpProxyMiddleware()

    def request(self, proxy, **kwargs):
        return processed(self.mw, Request("https://example.com", meta={"proxy": proxy}, **kwargs))

    def again(self, request, proxy):
        request.meta["proxy"] = proxy
        return processed(self.mw, request)

    def test_add_proxy(self):
        request = processed(self.mw, Request("https://example.com"))
        self.again(request, "https://user1:password1@example.com")
        assert request.meta["proxy"] == "https://example.com"
        assert request.headers["Proxy-Authorization"] == basic(b"user1:password1")

    @pytest.mark.parametrize("first", ["https://example.com", "https://user1:password1@example.com"])
    def test_remove_proxy(self, first):
        request = self.again(self.request(first), None)
        assert request.meta["proxy"] is None
        assert "Proxy-Authorization" not in request.headers

    def test_same_proxy_new_credentials_replace_old(self):
        request = self.again(self.request("https://user1:password1@example.com"), "https://user2:password2@example.com")
        assert request.headers["Proxy-Authorization"] == basic(b"user2:password2")

    def test_same_proxy_without_credentials_keeps_them_until_header_removed(self):
        request = self.again(self.request("https://user1:password1@example.com"), "https://example.com")
        assert request.headers["Proxy-Authorization"] == basic(b"user1:password1")
        del request.headers["Proxy-Authorization"]
        self.again(request, "https://example.com")
        assert "Proxy-Authorization" not in request.headers

    def test_other_proxy_without_credentials_drops_them(self):
        request = self.again(self.request("https://user1:password1@example.com"), "https://example.org")
        assert request.meta == {"proxy": "https://example.org"}
        assert "Proxy-Authorization" not in request.headers

    def test_other_proxy_with_header_already_removed(self):
        request = self.request("https://user1:password1@example.com")
        del request.headers["Proxy-Authorization"]
        self.again(request, "https://example.org")
        assert request.meta == {"proxy": "https://example.org"}

    def test_other_proxy_same_credentials_then_back_without(self):
        request = self.again(self.request("https://user1:password1@example.com"), "https://user1:password1@example.org")
        assert request.meta["proxy"] == "https://example.org"
        assert request.headers["Proxy-Authorization"] == basic(b"user1:password1")
        self.again(request, "https://example.com")
        assert "Proxy-Authorization" not in request.headers


class TestUserSetHeader:
    def setup_method(self):
        self.mw = HttpProxyMiddleware()

    def test_dropped_without_a_proxy(self):
        for meta in ({}, {"proxy": None}):
            request = processed(self.mw, Request("https://example.com", headers={"Proxy-Authorization": "Basic foo"}, meta=meta))
            assert "Proxy-Authorization" not in request.headers

    def test_kept_for_a_proxy_without_credentials(self):
        request = processed(
            self.mw,
            Request("https://example.com", headers={"Proxy-Authorization": "Basic foo"}, meta={"proxy": "https://p.com"}),
        )
        assert request.headers["Proxy-Authorization"] == b"Basic foo"
        request.headers["Proxy-Authorization"] = b"Basic bar"
        processed(self.mw, request)
        assert request.headers["Proxy-Authorization"] == b"Basic bar"
        request.meta["proxy"] = "https://elsewhere.com"
        processed(self.mw, request)
        assert "Proxy-Authorization" not in request.headers

    def test_replaced_by_proxy_url_credentials(self):
        request = processed(
            self.mw,
            Request(
                "https://example.com",
                headers={"Proxy-Authorization": basic(b"user1:password1")},
                meta={"proxy": "https://user2:password2@p.com"},
            ),
        )
        assert request.headers["Proxy-Authorization"] == basic(b"user2:password2")


async def _crawl_through_proxy(aiohttp_server):
    """Crawl one http:// page through a local forward proxy with credentials in
    meta['proxy']; return what the proxy saw and what the spider got."""
    from aiohttp import web

    import ascrapy

    from .crawl_helpers import crawl

    seen = []

    async def forward_proxy(request):
        # A forward proxy gets the absolute URL of the target in the request line.
        seen.append((str(request.url), request.headers.get("Proxy-Authorization")))
        return web.Response(text="<html>via proxy</html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward_proxy)
    proxy = await aiohttp_server(app)
    bodies = []

    class ThroughProxy(ascrapy.Spider):
        name = "proxied"

        async def start(self):
            proxy_url = f"http://scrapy:s3cr3t-pw@127.0.0.1:{proxy.port}"
            yield ascrapy.Request("http://127.0.0.1:9/page", meta={"proxy": proxy_url})

        def parse(self, response):
            bodies.append((response.text, response.meta["proxy"]))

    middlewares = {"ascrapy.middleware.downloader.httpproxy.HttpProxyMiddleware": 750}
    await crawl(ThroughProxy, {"DOWNLOADER_MIDDLEWARES": middlewares})
    return seen, bodies, f"http://127.0.0.1:{proxy.port}"


async def test_real_crawl_through_a_proxy_never_logs_credentials(aiohttp_server, caplog):
    with caplog.at_level(logging.DEBUG):
        seen, bodies, proxy_url = await _crawl_through_proxy(aiohttp_server)
    assert bodies == [("<html>via proxy</html>", proxy_url)]
    assert [url for url, _ in seen] == ["http://127.0.0.1:9/page"]
    assert "s3cr3t-pw" not in caplog.text
    assert base64.b64encode(b"scrapy:s3cr3t-pw").decode() not in caplog.text


async def test_real_crawl_sends_credentials_to_the_proxy(aiohttp_server):
    seen, _, _ = await _crawl_through_proxy(aiohttp_server)
    assert seen == [("http://127.0.0.1:9/page", basic(b"scrapy:s3cr3t-pw").decode())]
