"""The site the Kafka tests crawl, and the spider that crawls it.

/page/N links to /detail/N, whose item is the message's: a message's work is a tree of two
requests, so an offset committed too early would show. /fail answers 500. The site counts
the /detail requests per User-Agent (each crawl process names itself in it) and keeps the
time of every request, so that a test can act when a process is mid-crawl. A held site
answers no /detail until the test calls ``release()``; ``detail_seconds`` slows every
/detail, so that a crawl lasts long enough to be interrupted.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter, defaultdict

from collections.abc import Iterator

from aiohttp import web

from ascrapy.http import Request, Response
from ascrapy.kafka import KafkaCrawlSpider, KafkaSpider
from ascrapy.linkextractors import LinkExtractor
from ascrapy.spiders import Rule

class DetailCallbacks:
    """The callbacks both spiders share."""

    def parse_detail(self, response: Response, tag: str | None = None) -> Iterator[dict[str, object]]:
        item: dict[str, object] = {"number": int(response.css("h1::text").get()), "url": response.url}
        if tag is not None:
            item["tag"] = tag
        yield item

    def parse_raising(self, response: Response) -> None:
        raise ValueError("this callback always raises")


class Pages(DetailCallbacks, KafkaSpider):
    """Follows each message's page to its detail, whose item it yields."""

    name = "pages"

    def parse(self, response: Response) -> Iterator[Request]:
        yield response.follow(response.css("a.detail::attr(href)").get(), callback=self.parse_detail,
                              cb_kwargs={"tag": response.meta.get("tag")})


class CrawlPages(DetailCallbacks, KafkaCrawlSpider):
    """The same crawl with a rule."""

    name = "pages"
    rules = (Rule(LinkExtractor(allow=r"/detail/"), callback="parse_detail"),)


# The spider file the crawl processes run (runspider takes the classes its file defines).
PAGES_SPIDER_FILE = """
from tests.kafka_site import Pages as _Pages


class Pages(_Pages):
    pass
"""


class KafkaSite:
    """The counting site (see the module docstring); serve ``app()`` from a thread."""

    def __init__(self, held: bool = False, detail_seconds: float = 0.0) -> None:
        self.held = held
        self.detail_seconds = detail_seconds
        self._gate: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.details: Counter[str] = Counter()  # /detail requests per User-Agent
        self.arrivals: dict[str, list[float]] = defaultdict(list)  # path -> Unix times
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def app(self) -> web.Application:
        async def page(request: web.Request) -> web.Response:
            self._arrived(request)
            number = request.match_info["number"]
            return web.Response(text=f'<html><body><a class="detail" href="/detail/{number}">{number}</a>'
                                     "</body></html>", content_type="text/html")

        async def detail(request: web.Request) -> web.Response:
            self._arrived(request)
            if self._gate is None:
                self._loop, self._gate = asyncio.get_running_loop(), asyncio.Event()
                if not self.held:
                    self._gate.set()
            with self._lock:
                self.details[request.headers.get("User-Agent", "")] += 1
                self._changed.notify_all()
            await self._gate.wait()
            if self.detail_seconds:
                await asyncio.sleep(self.detail_seconds)
            number = request.match_info["number"]
            return web.Response(text=f"<html><body><h1>{number}</h1></body></html>", content_type="text/html")

        async def fail(request: web.Request) -> web.Response:
            self._arrived(request)
            return web.Response(status=500, text="always failing")

        app = web.Application()
        app.router.add_get("/page/{number}", page)
        app.router.add_get("/detail/{number}", detail)
        app.router.add_get("/fail", fail)
        return app

    def _arrived(self, request: web.Request) -> None:
        with self._lock:
            self.arrivals[request.path].append(time.time())

    def release(self) -> None:
        """Answer the held /detail requests, and those to come."""
        self.held = False
        if self._loop is not None and self._gate is not None:
            self._loop.call_soon_threadsafe(self._gate.set)

    def wait_details(self, agent: str, count: int, timeout: float = 60.0) -> None:
        """Wait until the crawl process naming itself ``agent`` has asked for ``count`` details."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.details[agent] >= count, timeout=timeout):
                raise AssertionError(f"{agent} asked for {self.details[agent]} details, not {count}, "
                                     f"within {timeout} s")
