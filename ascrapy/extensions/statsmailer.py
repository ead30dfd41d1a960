"""StatsMailer: mails the crawl's stats to STATSMAILER_RCPTS when the spider closes.

Uses MailSender with the MAIL_* settings. Deprecated in Scrapy 2.19, and so here.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.mail import MailSender
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.warning_origin import outside_ascrapy

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

warnings.warn(
    "The scrapy.extensions.statsmailer module is deprecated and will be removed in a future release.",
    category=ScrapyDeprecationWarning,
    stacklevel=outside_ascrapy(),  # the code that imported the module, past compat's file
)

__all__ = ["StatsMailer"]


class StatsMailer:
    """Sends "Scrapy stats for: <spider>" with every stat, one per line."""

    def __init__(self, stats: Any, recipients: list[str], mail: MailSender) -> None:
        self.stats = stats
        self.recipients = recipients
        self.mail = mail

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> StatsMailer:
        recipients: list[str] = crawler.settings.getlist("STATSMAILER_RCPTS")
        if not recipients:
            raise NotConfigured
        mail: MailSender = build_from_crawler(MailSender, crawler)
        extension = cls(crawler.stats, recipients, mail)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any) -> Any:
        """Send the mail; the returned Future lets the engine wait until it is sent."""
        stats = self.stats.get_stats()
        table = "\n".join(f"{key:<50} : {value}" for key, value in stats.items())
        # Scrapy's mail has a global and a per-spider section; with one spider per crawler
        # both hold the same stats.
        body = f"Global stats\n\n{table}\n\n{spider.name} stats\n\n{table}"
        return self.mail.send(self.recipients, f"Scrapy stats for: {spider.name}", body)
