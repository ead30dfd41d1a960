"""LiveStatus: one status line at the bottom of a terminal, updated in place during a crawl.

    ascrapy | 1234 pages (56.7/s) | 890 items | 120 queued | 16 in flight | 3 errors | 0:01:23

Only where a person watches: stderr must be a terminal (not a pipe, not a file), TERM not
"dumb", and the process not in a Kubernetes pod (KUBERNETES_SERVICE_HOST unset), where a
terminal is a log collector's. Log records still print as before: the line is cleared
before each record the log handler writes and drawn again after it. LOGSTATS is unchanged.
LIVE_STATUS_ENABLED = False turns it off; LIVE_STATUS_INTERVAL sets how often it updates.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections import deque
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TextIO

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils.asyncio import LoopingCall, create_looping_call
from ascrapy.utils.crawl_load import CrawlLoad, crawl_load
from ascrapy.utils.log import get_scrapy_root_handler

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

CLEAR_LINE = "\r\x1b[K"
RATE_WINDOW = 5.0  # seconds of history behind pages/s


def watched_terminal(stream: Any, environ: Any = os.environ) -> bool:
    """Whether ``stream`` is a terminal a person is looking at."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return False
    return environ.get("TERM") != "dumb" and "KUBERNETES_SERVICE_HOST" not in environ


def render_status(pages: int, rate: float, items: int, load: CrawlLoad, errors: int, elapsed: float) -> str:
    return (
        f"ascrapy | {pages} pages ({rate:.1f}/s) | {items} items | {load.queued} queued | "
        f"{load.in_flight} in flight | {errors} errors | {timedelta(seconds=int(elapsed))}"
    )


class _ClearBeforeRecord(logging.Filter):
    """On the log handler that writes to the same terminal: clears the status line before a
    record is written and asks for it to be drawn again afterwards."""

    def __init__(self, status: LiveStatus) -> None:
        super().__init__()
        self.status = status

    def filter(self, record: logging.LogRecord) -> bool:
        self.status.clear_for_record()
        return True


class LiveStatus:
    """Draws the status line every LIVE_STATUS_INTERVAL seconds from spider open to close."""

    def __init__(self, crawler: CrawlerProtocol, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self._history: deque[tuple[float, int]] = deque()
        self._started = time.monotonic()
        self._task: LoopingCall | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shown = False
        self._redraw_pending = False
        self._filter = _ClearBeforeRecord(self)
        self._handler: logging.StreamHandler[TextIO] | None = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> LiveStatus:
        settings = crawler.settings
        if not settings.getbool("LIVE_STATUS_ENABLED"):
            raise NotConfigured
        handler = get_scrapy_root_handler()
        # The log handler writes to the terminal too: records and the line must take turns.
        shared = handler if type(handler) is logging.StreamHandler else None
        target = shared.stream if shared is not None else sys.stderr
        if not watched_terminal(target):
            raise NotConfigured
        extension = cls(crawler, target, settings.getfloat("LIVE_STATUS_INTERVAL") or 1.0)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self._started = time.monotonic()
        # The handler in use now: the crawler installs a new one once the add-ons have set
        # their settings, after the extensions were built.
        handler = get_scrapy_root_handler()
        shared = type(handler) is logging.StreamHandler and handler.stream is self.stream
        self._handler = handler if shared else None  # type: ignore[assignment]
        if self._handler is not None:
            self._handler.addFilter(self._filter)
        self._task = create_looping_call(self.draw)
        self._task.start(self.interval)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        self._task = None
        if self._handler is not None:
            self._handler.removeFilter(self._filter)
            self._handler = None
        self._erase()

    def line(self) -> str:
        stats = self.crawler.stats
        now = time.monotonic()
        pages = int(stats.get_value("response_received_count", 0))
        self._history.append((now, pages))
        while len(self._history) > 2 and now - self._history[0][0] > RATE_WINDOW:
            self._history.popleft()
        then, pages_then = self._history[0]
        rate = (pages - pages_then) / (now - then) if now > then else 0.0
        errors = int(stats.get_value("log_count/ERROR", 0)) + int(stats.get_value("log_count/CRITICAL", 0))
        return render_status(pages, rate, int(stats.get_value("item_scraped_count", 0)),
                             crawl_load(self.crawler.engine), errors, now - self._started)

    def draw(self) -> None:
        self._redraw_pending = False
        if self._task is None:
            return
        text = self.line()
        width = self._width()
        if width and len(text) >= width:
            text = text[: width - 1]
        self._write(CLEAR_LINE + text)
        self._shown = True

    def clear_for_record(self) -> None:
        """A log record is about to be written to the terminal."""
        if self._shown:
            self._erase()
        if self._task is not None and not self._redraw_pending and self._loop is not None:
            self._redraw_pending = True
            try:
                self._loop.call_soon_threadsafe(self.draw)
            except RuntimeError:  # the loop has closed
                self._redraw_pending = False

    def _erase(self) -> None:
        if self._shown:
            self._shown = False
            self._write(CLEAR_LINE)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away, or the stream was closed
            pass

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return 0
