"""LogCount: log records counted by level while the spider is open, once each."""

from __future__ import annotations

import logging

from ascrapy import signals
from ascrapy.extensions.logcount import LogCount
from ascrapy.utils.log import LogCounterHandler
from ascrapy.utils.misc import build_from_crawler

from .ext_helpers import ExtCrawler

logger = logging.getLogger("tests.logcount")


def test_counts_records_at_or_above_log_level_while_open():
    crawler = ExtCrawler({"LOG_LEVEL": "INFO"})
    extension = build_from_crawler(LogCount, crawler)
    logger.warning("before open")
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
    try:
        logger.setLevel(logging.DEBUG)
        logger.debug("below LOG_LEVEL")
        logger.info("one")
        logger.warning("two")
        logger.warning("three")
    finally:
        crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
        logger.setLevel(logging.NOTSET)
    logger.error("after close")
    assert extension.handler is None
    stats = crawler.stats.get_stats()
    assert stats == {"log_count/INFO": 1, "log_count/WARNING": 2}


def test_counts_once_when_the_crawler_already_has_a_counter():
    crawler = ExtCrawler({"LOG_LEVEL": "DEBUG"})
    existing = LogCounterHandler(crawler, level=logging.DEBUG)
    logging.root.addHandler(existing)
    try:
        extension = build_from_crawler(LogCount, crawler)
        extension.spider_opened(crawler.spider)
        assert extension.handler is None
        logger.warning("counted once")
        extension.spider_closed(crawler.spider, "finished")
    finally:
        logging.root.removeHandler(existing)
    assert crawler.stats.get_value("log_count/WARNING") == 1
