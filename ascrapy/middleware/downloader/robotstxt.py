"""Obey robots.txt (ROBOTSTXT_OBEY).

The first request to a netloc starts one download of its /robots.txt, outside the
scheduler and ahead of everything else; every request to that netloc waits on the same
future until the rules are parsed. A robots.txt that cannot be fetched allows all.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import IgnoreRequest, NotConfigured
from ascrapy.http import Request
from ascrapy.http.request import NO_CALLBACK
from ascrapy.middleware._compat import scrapy_object_name, warn_spider_arg
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Response
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.robotstxt import RobotParser

logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")

_UNSEEN = object()


def _exception_type_name(error: BaseException) -> str:
    """``str(type(error))`` as Scrapy shows it, with Scrapy's module paths."""
    cls = type(error)
    name = cls.__qualname__ if cls.__module__ == "builtins" else scrapy_object_name(cls)
    return f"<class '{name}'>"


class RobotsTxtMiddleware:
    """Drops requests that the site's robots.txt forbids for our user agent.

    The user agent is ROBOTSTXT_USER_AGENT, else the request's User-Agent header, else
    USER_AGENT. ``dont_obey_robotstxt`` in meta skips the check; data: and file: URLs
    are never checked.
    """

    DOWNLOAD_PRIORITY: int = 1000

    def __init__(self, crawler: CrawlerProtocol) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self._default_useragent: str = settings["USER_AGENT"]
        self._robotstxt_useragent: str | None = settings["ROBOTSTXT_USER_AGENT"]
        self.crawler = crawler
        self._stats = crawler.stats
        # netloc -> parser, None (allow all) or the future of a download in progress.
        self._parsers: dict[str, RobotParser | asyncio.Future[RobotParser | None] | None] = {}
        self._fetches: set[asyncio.Task[None]] = set()
        self._parserimpl: Any = load_object(settings.get("ROBOTSTXT_PARSER"))
        # Fail at start-up, not at the first page, when the backend cannot be built.
        build_from_crawler(self._parserimpl, crawler, b"")

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("RobotsTxtMiddleware.process_request")
        if request.meta.get("dont_obey_robotstxt"):
            return
        url = request.url
        if url.startswith("data:") or url.startswith("file:"):
            return
        parser = await self.robot_parser(request)
        self.process_request_2(parser, request)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        """Raise IgnoreRequest when ``rp`` forbids ``request``."""
        if rp is None:
            return
        useragent: str | bytes | None = self._robotstxt_useragent
        if not useragent:
            useragent = request.headers.get(b"User-Agent", self._default_useragent)
        if not rp.allowed(request.url, useragent):  # type: ignore[arg-type]
            logger.debug(
                "Forbidden by robots.txt: %(request)s",
                {"request": request},
                extra={"spider": self.crawler.spider},
            )
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest("Forbidden by robots.txt")

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The parsed robots.txt of ``request``'s netloc, fetching it on first use."""
        parsed = urlparse_cached(request)
        netloc = parsed.netloc
        parser = self._parsers.get(netloc, _UNSEEN)
        if parser is _UNSEEN:
            parser = self._parsers[netloc] = asyncio.get_running_loop().create_future()
            robots_request = Request(
                f"{parsed.scheme}://{netloc}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True},
                callback=NO_CALLBACK,
            )
            # A task of its own: a waiting request that is cancelled must not cancel
            # the download the other waiters depend on.
            task = asyncio.ensure_future(self._fetch(robots_request, netloc, request, parser))
            self._fetches.add(task)
            task.add_done_callback(self._fetches.discard)
        if isinstance(parser, asyncio.Future):
            return await asyncio.shield(parser)
        return parser  # type: ignore[return-value]

    async def _fetch(
        self, robots_request: Request, netloc: str, request: Request, future: asyncio.Future[RobotParser | None]
    ) -> None:
        try:
            response = await self.crawler.engine.download_async(robots_request)
            await self._parse_robots(response, netloc, request)
        except asyncio.CancelledError:
            # Stopped mid-download: let the waiters through, fetch again next time.
            self._parsers.pop(netloc, None)
            if not future.done():
                future.set_result(None)
            raise
        except Exception as error:
            if not isinstance(error, IgnoreRequest):
                logger.error(
                    "Error downloading %(request)s: %(f_exception)s",
                    {"request": request, "f_exception": error},
                    exc_info=True,
                    extra={"spider": self.crawler.spider},
                )
            self._robots_error(error, netloc)
        self._stats.inc_value("robotstxt/request_count")

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        stats = self._stats
        stats.inc_value("robotstxt/response_count")
        stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        parser = build_from_crawler(self._parserimpl, self.crawler, response.body)
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=parser, request=request
        )
        self._resolve(netloc, parser)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value(f"robotstxt/exception_count/{_exception_type_name(exc)}")
        self._resolve(netloc, None)

    def _resolve(self, netloc: str, parser: RobotParser | None) -> None:
        """Store the outcome for ``netloc`` and wake the requests waiting on it."""
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = parser
        if isinstance(pending, asyncio.Future) and not pending.done():
            pending.set_result(parser)
