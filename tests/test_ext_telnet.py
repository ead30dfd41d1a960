"""TelnetConsole: never configured in ascrapy; one warning only when asked for explicitly."""

from __future__ import annotations

import logging

import pytest

import ascrapy
from ascrapy.crawler import Crawler
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.telnet import TelnetConsole, update_telnet_vars
from ascrapy.settings import Settings
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler


def crawler_with(value: object, priority: str) -> ExtCrawler:
    crawler = ExtCrawler()
    crawler.settings.set("TELNETCONSOLE_ENABLED", value, priority=priority)
    return crawler


@pytest.mark.parametrize(
    ("value", "priority", "message"),
    [
        (1, "default", False),   # Scrapy's default: silent
        (True, "project", True),  # asked for by the user: say it is not there
        (True, "cmdline", True),
        (False, "project", False),
    ],
)
def test_never_configured(value, priority, message):
    with pytest.raises(NotConfigured) as info:
        build_from_crawler(TelnetConsole, crawler_with(value, priority))
    if message:
        assert "telnet console is not available in ascrapy" in str(info.value)
    else:
        assert info.value.args == ()


def test_update_telnet_vars_signal_exists():
    assert update_telnet_vars is not None


class EmptySpider(ascrapy.Spider):
    name = "empty"


async def test_one_warning_in_a_crawl_that_asks_for_it(caplog):
    settings = Settings({**TEST_SETTINGS, "EXTENSIONS": {"ascrapy.extensions.telnet.TelnetConsole": 0}})
    settings.set("TELNETCONSOLE_ENABLED", True)
    with caplog.at_level(logging.WARNING):
        await Crawler(EmptySpider, settings).crawl()
    warnings = [r.getMessage() for r in caplog.records if "telnet console" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith("Disabled ascrapy.extensions.telnet.TelnetConsole:")
