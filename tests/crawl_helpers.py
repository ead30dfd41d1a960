"""Running real crawls inside tests: a Crawler with test settings, awaited to its end."""

from __future__ import annotations

from typing import Any

from ascrapy.crawler import Crawler
from ascrapy.settings import Settings

TEST_SETTINGS = {
    "LOG_LEVEL": "DEBUG",
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "LOGSTATS_INTERVAL": 0,
    "MEMUSAGE_ENABLED": False,
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 10,
}


async def crawl(spidercls: type, settings: dict[str, Any] | None = None, **spider_kwargs: Any) -> Crawler:
    """Run ``spidercls`` to its end with TEST_SETTINGS plus ``settings``; return the crawler."""
    crawler = Crawler(spidercls, Settings({**TEST_SETTINGS, **(settings or {})}))
    await crawler.crawl(**spider_kwargs)
    return crawler

