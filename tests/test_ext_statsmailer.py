"""StatsMailer: a crawl mails its stats to STATSMAILER_RCPTS through a local SMTP server."""

from __future__ import annotations

import email
import warnings
from email.policy import default as default_policy

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler

from .crawl_helpers import crawl
from .smtp_helpers import smtp_server

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ScrapyDeprecationWarning)
    from ascrapy.extensions.statsmailer import StatsMailer
    from ascrapy.mail import MailSender


def test_not_configured_without_recipients():
    with pytest.raises(NotConfigured):
        build_from_crawler(StatsMailer, get_crawler())


def test_from_crawler_builds_the_mail_sender_from_settings():
    crawler = get_crawler(settings_dict={"STATSMAILER_RCPTS": ["a@example.org", "b@example.org"],
                                         "MAIL_HOST": "mx.example.org", "MAIL_PORT": 2525})
    extension = build_from_crawler(StatsMailer, crawler)
    assert extension.recipients == ["a@example.org", "b@example.org"]
    assert isinstance(extension.mail, MailSender)
    assert (extension.mail.smtphost, extension.mail.smtpport) == ("mx.example.org", 2525)
    assert extension.stats is crawler.stats
    assert extension.spider_closed in crawler.signals.receivers(signals.spider_closed)


class OnePage(ascrapy.Spider):
    name = "mailed"

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [f"{base_url}/status/200"]

    def parse(self, response):
        yield {"ok": True}


async def test_a_finished_crawl_mails_its_stats(test_server_url):
    with smtp_server() as server:
        settings = {
            "EXTENSIONS": {"ascrapy.extensions.statsmailer.StatsMailer": 0},
            "STATSMAILER_RCPTS": ["ops@example.org"],
            "MAIL_HOST": "127.0.0.1",
            "MAIL_PORT": server.port,
            "MAIL_FROM": "crawler@example.org",
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ScrapyDeprecationWarning)
            await crawl(OnePage, settings, base_url=test_server_url)
        # spider_closed handlers are awaited, so the mail is in before the crawl returns
        [mail] = server.mails
    assert mail.mail_from == "crawler@example.org"
    assert mail.rcpt_to == ["ops@example.org"]
    message = email.message_from_bytes(mail.data, policy=default_policy)
    assert message["Subject"] == "Scrapy stats for: mailed"
    body = message.get_content()
    assert body.startswith("Global stats\n\n")
    assert "\n\nmailed stats\n\n" in body
    assert f"{'item_scraped_count':<50} : 1" in body
    assert f"{'downloader/response_status_count/200':<50} : 1" in body
