import asyncio
import logging

import pytest

from ascrapy import signals
from ascrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from ascrapy.http import Request, Response, TextResponse
from ascrapy.http.request import NO_CALLBACK
from ascrapy.middleware.downloader.robotstxt import RobotsTxtMiddleware
from ascrapy.robotstxt import (
    ProtegoRobotParser,
    PythonRobotParser,
    RerpRobotParser,
    RobotParser,
    decode_robotstxt,
)
from ascrapy.utils.misc import build_from_crawler

from .mw_helpers import get_crawler

LOGGER = "scrapy.downloadermiddlewares.robotstxt"

ROBOTS = b"""User-Agent: *
Disallow: /admin/
Disallow: /wiki/K%C3%A4ytt%C3%A4j%C3%A4:

User-Agent: PickyBot
Disallow: /
"""


class RobotsEngine:
    """Stands in for the engine's download_async: serves robots.txt bodies by netloc."""

    def __init__(self, bodies=None, error=None, delay=0.0):
        self.bodies = bodies or {}
        self.error = error
        self.delay = delay
        self.requests = []

    async def download_async(self, request):
        self.requests.append(request)
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        body = self.bodies.get(request.url, b"")
        status = 200 if request.url in self.bodies else 404
        return TextResponse(request.url, status=status, body=body, request=request)


def make(settings=None, **engine_kwargs):
    crawler = get_crawler({"ROBOTSTXT_OBEY": True, **(settings or {})})
    crawler.engine = RobotsEngine(**engine_kwargs)
    return build_from_crawler(RobotsTxtMiddleware, crawler), crawler


def site_robots(body=ROBOTS, netloc="site.local"):
    return {"bodies": {f"http://{netloc}/robots.txt": body}}


async def is_allowed(mw, request):
    try:
        await mw.process_request(request)
    except IgnoreRequest:
        return False
    return True


def test_disabled_by_default():
    with pytest.raises(NotConfigured):
        build_from_crawler(RobotsTxtMiddleware, get_crawler())


class MissingDependencyParser(RobotParser):
    @classmethod
    def from_crawler(cls, crawler, robotstxt_body):
        raise ImportError("No module named 'someparser'")

    def allowed(self, url, user_agent):
        return True


def test_parser_backend_is_checked_at_start():
    with pytest.raises(ImportError, match="someparser"):
        make({"ROBOTSTXT_PARSER": MissingDependencyParser})


async def test_forbidden_requests_are_ignored(caplog):
    mw, crawler = make(**site_robots())
    assert await is_allowed(mw, Request("http://site.local/allowed"))
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        with pytest.raises(IgnoreRequest, match="Forbidden by robots.txt"):
            await mw.process_request(Request("http://site.local/admin/main"))
    assert caplog.messages == ["Forbidden by robots.txt: <GET http://site.local/admin/main>"]
    assert not await is_allowed(mw, Request("http://site.local/wiki/Käyttäjä:"))
    stats = crawler.stats.get_stats()
    assert stats["robotstxt/forbidden"] == 2
    assert stats["robotstxt/request_count"] == 1
    assert stats["robotstxt/response_count"] == 1
    assert stats["robotstxt/response_status_count/200"] == 1


async def test_robots_request_shape():
    mw, crawler = make(**site_robots(netloc="site.local:8080"))
    await mw.process_request(Request("https://site.local:8080/page"))
    (robots_request,) = crawler.engine.requests
    assert robots_request.url == "https://site.local:8080/robots.txt"
    assert robots_request.priority == RobotsTxtMiddleware.DOWNLOAD_PRIORITY == 1000
    assert robots_request.meta["dont_obey_robotstxt"] is True
    assert robots_request.callback is NO_CALLBACK


async def test_fetched_once_per_netloc_while_requests_wait():
    mw, crawler = make(delay=0.05, **site_robots())
    results = await asyncio.gather(
        *(is_allowed(mw, Request(f"http://site.local/{path}")) for path in ("a", "admin/x", "b", "admin/y"))
    )
    assert results == [True, False, True, False]
    assert await is_allowed(mw, Request("http://site.local/c"))
    await mw.process_request(Request("http://site.local:81/"))
    await mw.process_request(Request("http://other.local/"))
    assert [r.url for r in crawler.engine.requests] == [
        "http://site.local/robots.txt",
        "http://site.local:81/robots.txt",
        "http://other.local/robots.txt",
    ]
    assert crawler.stats.get_value("robotstxt/request_count") == 3
    assert crawler.stats.get_value("robotstxt/response_status_count/404") == 2


async def test_cancelled_waiter_does_not_cancel_the_download():
    mw, crawler = make(delay=0.05, **site_robots())
    first = asyncio.ensure_future(mw.process_request(Request("http://site.local/a")))
    await asyncio.sleep(0)
    first.cancel()
    assert not await is_allowed(mw, Request("http://site.local/admin/"))
    assert len(crawler.engine.requests) == 1


async def test_skipped_requests_do_not_fetch_robots():
    mw, crawler = make(**site_robots(b"User-Agent: *\nDisallow: /\n"))
    assert await is_allowed(mw, Request("http://site.local/x", meta={"dont_obey_robotstxt": True}))
    assert await is_allowed(mw, Request("data:text/plain,hello"))
    assert await is_allowed(mw, Request("file:///tmp/page.html"))
    assert crawler.engine.requests == []


@pytest.mark.parametrize(
    ("settings", "headers", "allowed"),
    [
        ({}, {}, True),  # USER_AGENT is Scrapy's default
        ({"USER_AGENT": "PickyBot/1.0"}, {}, False),
        ({}, {"User-Agent": "PickyBot/2.0"}, False),
        ({"ROBOTSTXT_USER_AGENT": "Other"}, {"User-Agent": "PickyBot/2.0"}, True),
        ({"ROBOTSTXT_USER_AGENT": "PickyBot"}, {"User-Agent": "Other"}, False),
    ],
)
async def test_user_agent_used_for_the_rules(settings, headers, allowed):
    mw, _ = make(settings, **site_robots())
    assert await is_allowed(mw, Request("http://site.local/page", headers=headers)) is allowed


async def test_download_error_allows_everything(caplog):
    mw, crawler = make(error=CannotResolveHostError("Robotstxt address not found"))
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        assert await is_allowed(mw, Request("http://site.local/admin/"))
    assert "Robotstxt address not found" in caplog.text
    assert caplog.records[0].getMessage().startswith("Error downloading <GET http://site.local/admin/>:")
    assert await is_allowed(mw, Request("http://site.local/admin/again"))
    stats = crawler.stats.get_stats()
    assert stats["robotstxt/exception_count/<class 'scrapy.exceptions.CannotResolveHostError'>"] == 1
    assert stats["robotstxt/request_count"] == 1
    assert "robotstxt/response_count" not in stats
    assert len(crawler.engine.requests) == 1


async def test_ignored_robots_request_is_not_an_error(caplog):
    mw, crawler = make(error=IgnoreRequest())
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert await is_allowed(mw, Request("http://site.local/admin/"))
    assert caplog.records == []
    assert not [key for key in crawler.stats.get_stats() if "exception_count" in key]


async def test_builtin_exception_stats_key():
    mw, crawler = make(error=ValueError("bad"))
    await mw.process_request(Request("http://site.local/"))
    assert crawler.stats.get_value("robotstxt/exception_count/<class 'ValueError'>") == 1


async def test_robots_parsed_signal():
    mw, crawler = make(**site_robots())
    received = []
    crawler.signals.connect(lambda robotparser, request: received.append((robotparser, request)),
                            signal=signals.robots_parsed)
    request = Request("http://site.local/page")
    await mw.process_request(request)
    await mw.process_request(Request("http://site.local/other"))
    assert len(received) == 1
    parser, signalled_request = received[0]
    assert isinstance(parser, ProtegoRobotParser)
    assert signalled_request is request


class AllowListParser(RobotParser):
    """A custom backend: allows only URLs listed in the body."""

    def __init__(self, body):
        self.allowed_urls = set(body.decode().split())

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body):
        return cls(robotstxt_body)

    def allowed(self, url, user_agent):
        return url in self.allowed_urls


async def test_custom_parser_setting():
    mw, _ = make({"ROBOTSTXT_PARSER": AllowListParser}, **site_robots(b"http://site.local/ok"))
    assert await is_allowed(mw, Request("http://site.local/ok"))
    assert not await is_allowed(mw, Request("http://site.local/other"))
    assert AllowListParser(b"").crawl_delay("*") is None


async def test_real_crawl_never_fetches_disallowed_page(aiohttp_server):
    from aiohttp import web

    import ascrapy

    from .crawl_helpers import crawl

    fetched = []

    async def robots(request):
        fetched.append(request.path)
        return web.Response(text="User-agent: *\nDisallow: /private\n")

    async def page(request):
        fetched.append(request.path)
        links = '<a href="/private/secret">secret</a> <a href="/public/2">next</a>'
        return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/{tail:.*}", page)
    server = await aiohttp_server(app)
    parsed = []

    class Polite(ascrapy.Spider):
        name = "polite"

        def parse(self, response):
            parsed.append(response.url)
            yield from response.follow_all(css="a", callback=self.parse)

    settings = {
        "ROBOTSTXT_OBEY": True,
        # Named explicitly: the same key as in DOWNLOADER_MIDDLEWARES_BASE.
        "DOWNLOADER_MIDDLEWARES": {"ascrapy.middleware.downloader.robotstxt.RobotsTxtMiddleware": 100},
    }
    crawler = await crawl(Polite, settings, start_urls=[str(server.make_url("/public/1"))])
    assert sorted(fetched) == ["/public/1", "/public/2", "/robots.txt"]
    assert sorted(parsed) == [str(server.make_url("/public/1")), str(server.make_url("/public/2"))]
    stats = crawler.stats.get_stats()
    assert stats["robotstxt/forbidden"] == 1  # the second link to it is a duplicate
    assert stats["robotstxt/request_count"] == 1
    assert stats["robotstxt/response_status_count/200"] == 1


# -- parser backends (ascrapy.robotstxt) -------------------------------------------------

BACKENDS = [ProtegoRobotParser, PythonRobotParser]
try:
    import robotexclusionrulesparser  # noqa: F401
except ImportError:
    pass
else:
    BACKENDS.append(RerpRobotParser)


@pytest.fixture(params=BACKENDS, ids=lambda cls: cls.__name__)
def parse(request):
    return lambda body: build_from_crawler(request.param, None, body)


def test_backend_allows_and_disallows(parse):
    rp = parse(b"User-agent: * \nDisallow: /disallowed \nAllow: /allowed \nCrawl-delay: 10")
    assert rp.allowed("https://www.site.local/allowed", "*")
    assert not rp.allowed("https://www.site.local/disallowed", "*")
    assert not rp.allowed(b"https://www.site.local/disallowed", b"*")
    assert rp.crawl_delay("*") == 10.0


def test_backend_without_crawl_delay(parse):
    assert parse(b"User-agent: *\nDisallow: /private\n").crawl_delay("*") is None


@pytest.mark.parametrize("body", [b"", b"GIF89a\xd3\x00\xfe\x00\xa2"])
def test_empty_or_garbage_allows_all(parse, body):
    rp = parse(body)
    for url in ("https://site.local/", "https://site.local/disallowed"):
        assert rp.allowed(url, "*")
        assert rp.allowed(url, "chrome")


def test_backend_unicode_agents_and_paths(parse):
    rp = parse(
        "User-Agent: *\nDisallow: /admin/\nDisallow: /wiki/Käyttäjä:\n\n"
        "User-Agent: UnicödeBöt\nDisallow: /some/page.html\n".encode()
    )
    assert not rp.allowed("https://site.local/admin/", "*")
    assert rp.allowed("https://site.local/admin/", "UnicödeBöt")
    assert not rp.allowed("https://site.local/some/page.html", "UnicödeBöt")
    assert rp.allowed("https://site.local/some/page.html", "*")


def test_protego_longest_match_wins():
    rp = build_from_crawler(ProtegoRobotParser, None, b"User-agent: *\nDisallow: /\nAllow: /page")
    assert rp.allowed("https://site.local/page", "*")
    assert not rp.allowed("https://site.local/other", "*")


@pytest.mark.parametrize(
    ("body", "native", "expected"),
    [
        (b"User-agent: *\nDisallow: /\n", False, "User-agent: *\nDisallow: /\n"),
        (b"User-agent: *\nDisallow: /\n", True, "User-agent: *\nDisallow: /\n"),
        (b"User-agent: *\n\xffDisallow: /\n", False, "User-agent: *\nDisallow: /\n"),
        (b"\xef\xbb\xbfUser-agent: *\n", False, "User-agent: *\n"),
        (b"User-agent: *\n\xffDisallow: /\n", True, ""),
    ],
)
def test_decode_robotstxt(body, native, expected, caplog):
    with caplog.at_level(logging.WARNING, logger="scrapy.robotstxt"):
        assert decode_robotstxt(body, spider=None, to_native_str_type=native) == expected
    assert bool(caplog.records) is (expected == "")
