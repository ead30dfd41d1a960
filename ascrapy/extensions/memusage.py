"""MemoryUsage: watches the process's peak memory, warns and stops the crawl past limits.

The figure is the peak resident set size from the ``resource`` module (Unix only), as in
Scrapy; without ``resource`` the extension is not configured. Stats: memusage/startup,
memusage/max, memusage/warning_reached, memusage/limit_reached.

MEMUSAGE_NOTIFY_MAIL (deprecated in Scrapy too) sends the report with ascrapy.mail's
MailSender (MAIL_* settings), which talks SMTP in a worker thread so the loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import warnings
from importlib import import_module
from pprint import pformat
from typing import TYPE_CHECKING

from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.utils.asyncio import LoopingCall, create_looping_call
from ascrapy.utils.engine import get_engine_status

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.memusage")

MIB = 1024 * 1024


class MemoryUsage:
    """Checks peak memory every MEMUSAGE_CHECK_INTERVAL_SECONDS from engine start to stop."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        settings = crawler.settings
        if not settings.getbool("MEMUSAGE_ENABLED"):
            raise NotConfigured
        try:
            self.resource = import_module("resource")
        except ImportError as exc:
            raise NotConfigured from exc
        self.crawler = crawler
        self._stats = crawler.stats
        self.warned = False
        self.notify_mails: list[str] = settings.getlist("MEMUSAGE_NOTIFY_MAIL")
        if self.notify_mails:
            warnings.warn(
                "The 'MEMUSAGE_NOTIFY_MAIL' setting is deprecated and will be removed in a future "
                "release. Please use the 'memusage_warning_reached' and 'spider_closed' signals to "
                "implement custom notifications.",
                category=ScrapyDeprecationWarning,
                stacklevel=2,
            )
            with warnings.catch_warnings():  # the setting's warning above says it all
                warnings.simplefilter("ignore", ScrapyDeprecationWarning)
                from ascrapy.mail import MailSender  # noqa: PLC0415 - deprecated module: only when asked for

            self.mail = MailSender.from_crawler(crawler)
        self.limit: int = settings.getint("MEMUSAGE_LIMIT_MB") * MIB
        self.warning: int = settings.getint("MEMUSAGE_WARNING_MB") * MIB
        self.check_interval: float = settings.getfloat("MEMUSAGE_CHECK_INTERVAL_SECONDS")
        self.tasks: list[LoopingCall] = []
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> MemoryUsage:
        return cls(crawler)

    def get_virtual_size(self) -> int:
        """Peak resident set size of this process, in bytes."""
        size: int = self.resource.getrusage(self.resource.RUSAGE_SELF).ru_maxrss
        if sys.platform != "darwin":
            size *= 1024  # kilobytes everywhere but macOS, which reports bytes
        return size

    # -- the checks -----------------------------------------------------------------------

    def engine_started(self) -> None:
        self._stats.set_value("memusage/startup", self.get_virtual_size())
        self.tasks = []
        checks = [self.update]
        if self.limit:
            checks.append(self._check_limit)
        if self.warning:
            checks.append(self._check_warning)
        for check in checks:
            task = create_looping_call(check)
            self.tasks.append(task)
            task.start(self.check_interval, now=True)

    def engine_stopped(self) -> None:
        for task in self.tasks:
            if task.running:
                task.stop()

    def update(self) -> None:
        self._stats.max_value("memusage/max", self.get_virtual_size())

    def _check_limit(self) -> None:
        peak = self.get_virtual_size()
        if peak <= self.limit:
            logger.info("Peak memory usage is %(virtualsize)dMiB", {"virtualsize": peak / MIB})
            return
        self._stats.set_value("memusage/limit_reached", 1)
        mem = self.limit / MIB
        logger.error(
            "Memory usage exceeded %(memusage)dMiB. Shutting down Scrapy...",
            {"memusage": mem},
            extra={"crawler": self.crawler},
        )
        self._notify(f"terminated: memory usage exceeded {mem}MiB", "memusage/limit_notified")
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and engine.spider is not None:
            engine.close_spider(engine.spider, "memusage_exceeded")
        else:
            asyncio.ensure_future(self.crawler.stop_async())

    def _check_warning(self) -> None:
        if self.warned:
            return
        if self.get_virtual_size() <= self.warning:
            return
        self._stats.set_value("memusage/warning_reached", 1)
        self.crawler.signals.send_catch_log(signal=signals.memusage_warning_reached)
        mem = self.warning / MIB
        logger.warning(
            "Memory usage reached %(memusage)dMiB", {"memusage": mem}, extra={"crawler": self.crawler}
        )
        self._notify(f"warning: memory usage reached {mem}MiB", "memusage/warning_notified")
        self.warned = True

    # -- the mail report ------------------------------------------------------------------

    def _notify(self, what: str, stat: str) -> None:
        """With MEMUSAGE_NOTIFY_MAIL, mail "<BOT_NAME> <what> at <host>" and set ``stat``."""
        if self.notify_mails:
            bot = self.crawler.settings["BOT_NAME"]
            self._send_report(self.notify_mails, f"{bot} {what} at {socket.gethostname()}")
            self._stats.set_value(stat, 1)

    def _send_report(self, rcpts: list[str], subject: str) -> None:
        """Mail the memory figures and the engine status; MailSender logs the outcome."""
        stats = self._stats
        body = "\r\n".join([
            f"Memory usage at engine startup : {(stats.get_value('memusage/startup') or 0) / MIB}M",
            f"Maximum memory usage          : {(stats.get_value('memusage/max') or 0) / MIB}M",
            f"Current memory usage          : {self.get_virtual_size() / MIB}M",
            "ENGINE STATUS ------------------------------------------------------- ",
            "",
            pformat(get_engine_status(self.crawler.engine)),
            "",
        ])
        self.mail.send(rcpts, subject, body)
