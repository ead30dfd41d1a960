"""MemoryUsage: peak RSS stats, the warning (once) and the limit (closes the spider)."""

from __future__ import annotations

import asyncio
import email
import logging
import resource
import sys
from email.policy import default as default_policy
from typing import Any

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.crawler import CrawlerRunner
from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.extensions.memusage import MemoryUsage
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler
from .smtp_helpers import smtp_server

MB = 1024 * 1024
HUGE_MB = 10**7  # ten terabytes: never reached


def build(settings: dict[str, Any]) -> tuple[ExtCrawler, MemoryUsage]:
    crawler = ExtCrawler({"MEMUSAGE_ENABLED": True, **settings})
    return crawler, build_from_crawler(MemoryUsage, crawler)


def test_disabled_by_setting():
    with pytest.raises(NotConfigured):
        build_from_crawler(MemoryUsage, ExtCrawler({"MEMUSAGE_ENABLED": False}))


def test_virtual_size_is_the_peak_rss_in_bytes():
    _, extension = build({})
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    expected = peak_kb if sys.platform == "darwin" else peak_kb * 1024
    assert extension.get_virtual_size() >= expected > MB


async def test_engine_started_records_startup_and_max_and_stops_with_the_engine():
    crawler, extension = build({"MEMUSAGE_CHECK_INTERVAL_SECONDS": 60})
    await crawler.signals.send_catch_log_async(signals.engine_started)
    startup = crawler.stats.get_value("memusage/startup")
    assert startup > MB
    assert crawler.stats.get_value("memusage/max") >= startup
    assert len(extension.tasks) == 1  # no limit, no warning: only the max is kept
    await crawler.signals.send_catch_log_async(signals.engine_stopped)
    assert not any(task.running for task in extension.tasks)


async def test_checks_repeat_every_interval():
    crawler, extension = build({"MEMUSAGE_CHECK_INTERVAL_SECONDS": 0.02})
    calls = []
    extension.update = lambda: calls.append(1)  # type: ignore[method-assign]
    extension.engine_started()
    await asyncio.sleep(0.11)
    extension.engine_stopped()
    seen = len(calls)
    assert 3 <= seen <= 7
    await asyncio.sleep(0.05)
    assert len(calls) == seen


async def test_below_the_limit_logs_the_peak(caplog):
    crawler, extension = build({"MEMUSAGE_LIMIT_MB": HUGE_MB, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 60})
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.memusage"):
        extension.engine_started()
    extension.engine_stopped()
    assert crawler.engine.close_calls == []
    assert crawler.stats.get_value("memusage/limit_reached") is None
    peak = extension.get_virtual_size() // MB
    assert f"Peak memory usage is {peak}MiB" in caplog.messages


async def test_over_the_limit_closes_the_spider(caplog):
    crawler, extension = build({"MEMUSAGE_LIMIT_MB": 1, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 60})
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.memusage"):
        extension.engine_started()
    extension.engine_stopped()
    assert crawler.engine.close_calls == ["memusage_exceeded"]
    assert crawler.stats.get_value("memusage/limit_reached") == 1
    assert "Memory usage exceeded 1MiB. Shutting down Scrapy..." in caplog.messages
    assert [r.levelno for r in caplog.records if "exceeded" in r.getMessage()] == [logging.ERROR]


async def test_over_the_limit_without_a_spider_stops_the_crawler():
    crawler, extension = build({"MEMUSAGE_LIMIT_MB": 1, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 60})
    crawler.engine.spider = None
    extension.engine_started()
    extension.engine_stopped()
    await asyncio.sleep(0)  # the stop runs as a task
    assert crawler.engine.close_calls == []
    assert crawler.stop_calls == 1


async def test_warning_is_reported_once(caplog):
    crawler, extension = build({"MEMUSAGE_WARNING_MB": 1, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 60})
    received = []
    crawler.signals.connect(lambda: received.append(1), signal=signals.memusage_warning_reached)
    with caplog.at_level(logging.WARNING, logger="scrapy.extensions.memusage"):
        extension.engine_started()
        extension._check_warning()
    extension.engine_stopped()
    assert received == [1]
    assert crawler.stats.get_value("memusage/warning_reached") == 1
    assert caplog.messages.count("Memory usage reached 1MiB") == 1
    assert crawler.engine.close_calls == []


async def test_no_warning_below_the_threshold():
    crawler, extension = build({"MEMUSAGE_WARNING_MB": HUGE_MB, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 60})
    extension.engine_started()
    extension.engine_stopped()
    assert crawler.stats.get_value("memusage/warning_reached") is None
    assert not extension.warned


# -- MEMUSAGE_NOTIFY_MAIL: a real SMTP conversation with the local test server ----------


async def test_notify_mail_sends_the_report_over_smtp(caplog):
    with smtp_server() as server, caplog.at_level(logging.INFO, logger="scrapy.mail"):
        with pytest.warns(ScrapyDeprecationWarning, match="MEMUSAGE_NOTIFY_MAIL"):
            crawler, extension = build({
                "MEMUSAGE_LIMIT_MB": 1, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 60, "BOT_NAME": "membot",
                "MEMUSAGE_NOTIFY_MAIL": ["ops@example.com"], "MAIL_HOST": "127.0.0.1", "MAIL_PORT": server.port,
            })
        extension.engine_started()
        extension.engine_stopped()
        for _ in range(1000):  # MailSender logs once the SMTP session is over (QUIT included)
            if any(line.startswith("Mail sent OK: To=['ops@example.com']") for line in caplog.messages):
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail(f"no 'Mail sent OK' line in {caplog.messages}")
    assert crawler.stats.get_value("memusage/limit_notified") == 1
    [mail] = server.mails
    assert mail.rcpt_to == ["ops@example.com"]
    message = email.message_from_bytes(mail.data, policy=default_policy)
    assert message["Subject"].startswith("membot terminated: memory usage exceeded 1.0MiB at ")
    body = message.get_content()
    assert "Maximum memory usage" in body
    assert "ENGINE STATUS" in body and "'len(engine.downloader.active)'" in body


# -- end to end -------------------------------------------------------------------------


class LoopSpider(ascrapy.Spider):
    name = "memusage-loop"

    def parse(self, response):
        for href in response.css("a.page-link::attr(href)").getall():
            yield response.follow(href)


async def run(settings: dict[str, Any], url: str) -> dict[str, Any]:
    runner = CrawlerRunner({
        **TEST_SETTINGS,
        "EXTENSIONS": {"ascrapy.extensions.memusage.MemoryUsage": 0},
        "MEMUSAGE_ENABLED": True,
        **settings,
    })
    crawler = runner.create_crawler(LoopSpider)
    runner.crawl(crawler, start_urls=[url])
    await asyncio.wait_for(runner.join(), 30)
    return crawler.stats.get_stats()


async def test_crawl_over_the_limit_finishes_with_memusage_exceeded(link_site):
    stats = await run({"MEMUSAGE_LIMIT_MB": 1, "MEMUSAGE_CHECK_INTERVAL_SECONDS": 0.05},
                      link_site(2000, 20) + "/page/0")
    assert stats["finish_reason"] == "memusage_exceeded"
    assert stats["memusage/limit_reached"] == 1
    assert stats.get("response_received_count", 0) < 2000


async def test_crawl_under_the_limit_finishes_normally(link_site):
    stats = await run({"MEMUSAGE_LIMIT_MB": HUGE_MB, "MEMUSAGE_WARNING_MB": HUGE_MB},
                      link_site(20, 3) + "/page/0")
    assert stats["finish_reason"] == "finished"
    assert stats["memusage/max"] >= stats["memusage/startup"] > MB
    assert "memusage/limit_reached" not in stats
