"""Track how many links away from a start request each request is (``depth`` meta).

DEPTH_LIMIT drops requests beyond a depth, DEPTH_PRIORITY lowers (or, negative, raises)
the priority of deeper requests, DEPTH_STATS_VERBOSE counts requests per depth.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy.middleware.spider.base import BaseSpiderMiddleware

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.spidermiddlewares.depth")


class DepthMiddleware(BaseSpiderMiddleware):
    """A request gets its source response's depth plus one (0 with ``depth_reset``).

    Stats: ``request_depth_max``, ``depth/request_ignored_count`` and, when verbose,
    ``request_depth_count/<depth>``.
    """

    crawler: CrawlerProtocol

    def __init__(self, maxdepth: int, stats: Any, verbose_stats: bool = False, prio: int = 1) -> None:
        self.maxdepth = maxdepth
        self.stats = stats
        self.verbose_stats = verbose_stats
        self.prio = prio
        self._ignored_logged = False
        # The largest depth given to request_depth_max: most requests are not deeper.
        self._depth_max = -1

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        settings = crawler.settings
        middleware = cls(
            settings.getint("DEPTH_LIMIT"),
            crawler.stats,
            settings.getbool("DEPTH_STATS_VERBOSE"),
            settings.getint("DEPTH_PRIORITY"),
        )
        middleware.crawler = crawler
        return middleware

    def start_output(self, response: Response) -> None:
        """Give a response from a start request its depth, 0, before its output is seen."""
        meta = response.meta
        if "depth" not in meta:
            meta["depth"] = 0
            if self.verbose_stats:
                self.stats.inc_value("request_depth_count/0")

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        meta = request.meta_or_none  # None for most yielded requests: then there is no depth_reset
        if meta is None:
            meta = request.meta
            depth_reset = False
        else:
            # Popped so that it cannot travel on to later requests through copied meta.
            depth_reset = meta.pop("depth_reset", False)
        if response is None:
            return request
        depth = 0 if depth_reset else response.meta["depth"] + 1
        meta["depth"] = depth
        if self.prio:
            request.priority -= depth * self.prio
        if self.maxdepth and depth > self.maxdepth:
            if not self._ignored_logged:
                logger.debug(
                    f"Ignoring link (depth > {self.maxdepth}): {request.url}"
                    " - no more ignored links will be shown",
                    extra={"spider": self.crawler.spider},
                )
                self._ignored_logged = True
            self.stats.inc_value("depth/request_ignored_count")
            return None
        if depth > self._depth_max:  # the stat holds at least this much already otherwise
            self._depth_max = depth
            self.stats.max_value("request_depth_max", depth)
        if self.verbose_stats:
            self.stats.inc_value(f"request_depth_count/{depth}")
        return request
