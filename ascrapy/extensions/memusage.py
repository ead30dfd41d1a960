"""MemoryUsage: watches the process's peak memory, warns and stops the crawl past limits.

The figure is the peak resident set size from the ``resource`` module (Unix only), as in
Scrapy; without ``resource`` the extension is not configured. Stats: memusage/startup,
memusage/max, memusage/warning_reached, memusage/limit_reached.

MEMUSAGE_NOTIFY_MAIL (deprecated in Scrapy too) sends the report with smtplib, in a worker
thread so the crawl's loop never blocks, using the MAIL_* settings.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import warnings
from email.message import EmailMessage
from importlib import import_module
from pprint import pformat
from typing import Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.utils.asyncio import LoopingCall, create_looping_call

logger = logging.getLogger("scrapy.extensions.memusage")

MIB = 1024 * 1024


class MemoryUsage:
    """Checks peak memory every MEMUSAGE_CHECK_INTERVAL_SECONDS from engine start to stop."""

    def __init__(self, crawler: Any) -> None:
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
        self.limit: int = settings.getint("MEMUSAGE_LIMIT_MB") * MIB
        self.warning: int = settings.getint("MEMUSAGE_WARNING_MB") * MIB
        self.check_interval: float = settings.getfloat("MEMUSAGE_CHECK_INTERVAL_SECONDS")
        self.tasks: list[LoopingCall] = []
        self._mail_tasks: set[asyncio.Future[Any]] = set()
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> MemoryUsage:
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
        if self.notify_mails:
            subject = (
                f"{self.crawler.settings['BOT_NAME']} terminated: "
                f"memory usage exceeded {mem}MiB at {socket.gethostname()}"
            )
            self._send_report(self.notify_mails, subject)
            self._stats.set_value("memusage/limit_notified", 1)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            engine.close_spider(engine.spider, "memusage_exceeded")
        else:
            self.crawler.stop()

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
        if self.notify_mails:
            subject = (
                f"{self.crawler.settings['BOT_NAME']} warning: "
                f"memory usage reached {mem}MiB at {socket.gethostname()}"
            )
            self._send_report(self.notify_mails, subject)
            self._stats.set_value("memusage/warning_notified", 1)
        self.warned = True

    # -- the mail report ------------------------------------------------------------------

    def _report_body(self) -> str:
        stats = self._stats
        lines = [
            f"Memory usage at engine startup : {(stats.get_value('memusage/startup') or 0) / MIB}M",
            f"Maximum memory usage          : {(stats.get_value('memusage/max') or 0) / MIB}M",
            f"Current memory usage          : {self.get_virtual_size() / MIB}M",
            "ENGINE STATUS ------------------------------------------------------- ",
            "",
            pformat(_engine_status(self.crawler.engine)),
            "",
        ]
        return "\r\n".join(lines)

    def _send_report(self, rcpts: list[str], subject: str) -> None:
        """Mail the report from a worker thread; failures are logged, never raised."""
        body = self._report_body()
        settings = self.crawler.settings
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            _send_mail(settings, rcpts, subject, body)
            return
        future = loop.run_in_executor(None, _send_mail, settings, rcpts, subject, body)
        self._mail_tasks.add(future)
        future.add_done_callback(self._mail_tasks.discard)


def _engine_status(engine: Any) -> dict[str, Any]:
    """A few numbers that tell what the engine was doing (for the mail report)."""
    if engine is None:
        return {}
    status: dict[str, Any] = {"engine.running": getattr(engine, "running", None)}
    downloader = getattr(engine, "downloader", None)
    if downloader is not None:
        status["len(engine.downloader.active)"] = len(getattr(downloader, "active", ()))
    frontier = getattr(engine, "frontier", None)
    if frontier is not None:
        status["engine.frontier.queued"] = getattr(frontier, "queued", None)
        status["engine.frontier.in_flight"] = getattr(frontier, "in_flight", None)
    return status


def _send_mail(settings: Any, rcpts: list[str], subject: str, body: str) -> None:
    """Send one plain-text mail with the MAIL_* settings (blocking: run it in a thread)."""
    import smtplib

    message = EmailMessage()
    message["From"] = settings.get("MAIL_FROM")
    message["To"] = ", ".join(rcpts)
    message["Subject"] = subject
    message.set_content(body)
    host, port = settings.get("MAIL_HOST"), settings.getint("MAIL_PORT")
    try:
        smtp_class = smtplib.SMTP_SSL if settings.getbool("MAIL_SSL") else smtplib.SMTP
        with smtp_class(host, port, timeout=30) as smtp:
            if settings.getbool("MAIL_TLS") and not settings.getbool("MAIL_SSL"):
                smtp.starttls()
            user, password = settings.get("MAIL_USER"), settings.get("MAIL_PASS")
            if user:
                smtp.login(user, password or "")
            smtp.send_message(message)
    except Exception as error:
        logger.error(
            'Unable to send mail: To=%(mailto)s Cc=%(mailcc)s Subject="%(mailsubject)s" '
            "Attachs=%(mailattachs)d- %(mailerr)s",
            {"mailto": rcpts, "mailcc": None, "mailsubject": subject, "mailattachs": 0, "mailerr": error},
        )
        return
    logger.info(
        'Mail sent OK: To=%(mailto)s Cc=%(mailcc)s Subject="%(mailsubject)s" Attachs=%(mailattachs)d',
        {"mailto": rcpts, "mailcc": None, "mailsubject": subject, "mailattachs": 0},
    )
