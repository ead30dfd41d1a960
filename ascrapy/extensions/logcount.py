"""LogCount: counts log records by level into the log_count/<LEVEL> stats.

The counting handler (ascrapy.utils.log.LogCounterHandler) sits on the root logger from
spider_opened to spider_closed, at LOG_LEVEL, so records below it are not counted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.utils.log import LogCounterHandler

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class LogCount:
    """Installs a LogCounterHandler for the crawl's duration."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        self.handler: LogCounterHandler | None = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> LogCount:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        if self._crawler_already_counted():
            return
        self.handler = LogCounterHandler(self.crawler, level=self.crawler.settings.get("LOG_LEVEL"))
        logging.root.addHandler(self.handler)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.handler is not None:
            logging.root.removeHandler(self.handler)
            self.handler = None

    def _crawler_already_counted(self) -> bool:
        """True when another counter for this crawler is installed: records count once."""
        return any(
            isinstance(handler, LogCounterHandler) and handler.crawler is self.crawler
            for handler in logging.root.handlers
        )
