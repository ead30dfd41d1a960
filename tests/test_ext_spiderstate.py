"""SpiderState: spider.state is kept in JOBDIR/spider.state from one run to the next."""

from __future__ import annotations

import asyncio
import pickle
from datetime import datetime, timezone

import pytest

import ascrapy
from ascrapy import signals
from ascrapy.crawler import CrawlerRunner
from ascrapy.exceptions import NotConfigured
from ascrapy.extensions.spiderstate import SpiderState
from ascrapy.utils.misc import build_from_crawler

from .crawl_helpers import TEST_SETTINGS
from .ext_helpers import ExtCrawler


def test_not_configured_without_jobdir():
    with pytest.raises(NotConfigured):
        build_from_crawler(SpiderState, ExtCrawler())


def test_jobdir_is_created_and_signals_connected(tmp_path):
    jobdir = tmp_path / "job" / "one"
    crawler = ExtCrawler({"JOBDIR": str(jobdir)})
    extension = build_from_crawler(SpiderState, crawler)
    assert jobdir.is_dir()
    assert extension.statefn == str(jobdir / "spider.state")
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
    crawler.spider.state["seen"] = 3
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    with open(jobdir / "spider.state", "rb") as file:
        assert pickle.load(file) == {"seen": 3}


def test_state_survives_to_the_next_spider(tmp_path):
    moment = datetime.now(tz=timezone.utc)
    first = ascrapy.Spider(name="stateful")
    state = SpiderState(str(tmp_path))
    state.spider_opened(first)
    assert first.state == {}
    first.state.update({"pages": 7, "since": moment})
    state.spider_closed(first)

    second = ascrapy.Spider(name="stateful")
    SpiderState(str(tmp_path)).spider_opened(second)
    assert second.state == {"pages": 7, "since": moment}
    assert list(tmp_path.iterdir()) == [tmp_path / "spider.state"]  # no temporary file left


def test_without_jobdir_the_spider_still_gets_an_empty_state(tmp_path):
    spider = ascrapy.Spider(name="stateless")
    state = SpiderState()
    state.spider_opened(spider)
    assert spider.state == {}
    spider.state["x"] = 1
    state.spider_closed(spider)  # nowhere to write: nothing happens


class CountingSpider(ascrapy.Spider):
    """Counts its runs in spider.state; yields no request."""

    name = "counting"

    async def start(self):
        self.state["runs"] = self.state.get("runs", 0) + 1
        return
        yield


async def test_crawls_with_the_same_jobdir_share_the_state(tmp_path):
    settings = {
        **TEST_SETTINGS,
        "JOBDIR": str(tmp_path),
        "EXTENSIONS": {"ascrapy.extensions.spiderstate.SpiderState": 0},
    }
    runs = []
    for _ in range(2):
        runner = CrawlerRunner(settings)
        crawler = runner.create_crawler(CountingSpider)
        runner.crawl(crawler)
        await asyncio.wait_for(runner.join(), 30)
        runs.append(crawler.spider.state["runs"])
    assert runs == [1, 2]
