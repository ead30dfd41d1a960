"""Running real crawls inside tests: a Crawler with test settings, awaited to its end."""

from __future__ import annotations

from typing import Any

from ascrapy.crawler import Crawler
from ascrapy.settings import Settings

TEST_SETTINGS = {
    "LOG_LEVEL": "DEBUG",
    "TELNETCONSOLE_ENABLED": False,
    "LOGSTATS_INTERVAL": 0,
    "MEMUSAGE_ENABLED": False,
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 10,
    "EXTENSIONS_BASE": {"ascrapy.extensions.corestats.CoreStats": 0, "ascrapy.extensions.logstats.LogStats": 0, "ascrapy.extensions.feedexport.FeedExporter": 0},  # TEMP
    "DOWNLOADER_MIDDLEWARES": {"ascrapy.middleware.downloader.robotstxt.RobotsTxtMiddleware": None, "ascrapy.middleware.downloader.cookies.CookiesMiddleware": None, "ascrapy.middleware.downloader.httpproxy.HttpProxyMiddleware": None, "ascrapy.middleware.downloader.httpcache.HttpCacheMiddleware": None, "ascrapy.middleware.downloader.redirect.RedirectMiddleware": None, "ascrapy.middleware.downloader.redirect.MetaRefreshMiddleware": None},  # TEMP
    "SPIDER_MIDDLEWARES": {"ascrapy.middleware.spider.referer.RefererMiddleware": None, "ascrapy.middleware.spider.metacopy.MetaCopyDetectionMiddleware": None},  # TEMP
}


async def crawl(spidercls: type, settings: dict[str, Any] | None = None, **spider_kwargs: Any) -> Crawler:
    """Run ``spidercls`` to its end with TEST_SETTINGS plus ``settings``; return the crawler."""
    crawler = Crawler(spidercls, Settings({**TEST_SETTINGS, **(settings or {})}))
    await crawler.crawl(**spider_kwargs)
    return crawler
