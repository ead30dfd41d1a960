"""The crawler as components see it: the type of every ``from_crawler(crawler)`` and every
component's ``crawler``.

A protocol, not ascrapy.crawler.Crawler: a component needs only this surface (Scrapy's
documented one), a test or a tool may build components with any object that has it, and
this module imports nothing of ascrapy at run time, so modules of every layer can name it
without an import circle.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ascrapy.engine.engine import ExecutionEngine
    from ascrapy.fingerprint import RequestFingerprinterProtocol
    from ascrapy.logformatter import LogFormatter
    from ascrapy.settings import BaseSettings
    from ascrapy.signalmanager import SignalManager
    from ascrapy.spiders import Spider
    from ascrapy.stats import StatsCollector

__all__ = ["CrawlerProtocol"]


class CrawlerProtocol(Protocol):
    """What a component may use of the crawler it is built with (read-only).

    ``engine`` and ``spider`` exist once the crawl starts (``spider`` is None before, as in
    Scrapy); components reach the engine only while the spider is open.
    """

    @property
    def settings(self) -> BaseSettings: ...

    @property
    def signals(self) -> SignalManager: ...

    @property
    def stats(self) -> StatsCollector: ...

    @property
    def spidercls(self) -> type[Spider]: ...

    @property
    def spider(self) -> Spider | None: ...

    @property
    def engine(self) -> ExecutionEngine: ...

    @property
    def request_fingerprinter(self) -> RequestFingerprinterProtocol: ...

    @property
    def logformatter(self) -> LogFormatter: ...

    def stop(self) -> Awaitable[None] | None:
        """Stop the crawl gracefully (what is in flight finishes)."""
        ...

    async def stop_async(self) -> None:
        """As ``stop``, awaited."""
        ...
