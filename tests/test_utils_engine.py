"""Engine status report: read from a callback of a real crawl, and from a broken engine."""

from __future__ import annotations

import ascrapy
from ascrapy.utils.engine import format_engine_status, get_engine_status, print_engine_status

from .crawl_helpers import crawl


class StatusSpider(ascrapy.Spider):
    name = "status_spider"

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [f"{base_url}/status/200"]
        self.reports: list[tuple[list[tuple[str, object]], str]] = []

    def parse(self, response):
        engine = self.crawler.engine
        self.reports.append((get_engine_status(engine), format_engine_status(engine)))
        print_engine_status(engine)
        yield {"url": response.url}


async def test_status_from_a_callback_of_a_running_crawl(test_server_url, capsys):
    crawler = await crawl(StatusSpider, base_url=test_server_url)
    [(status, text)] = crawler.spider.reports
    values = dict(status)
    assert values["engine.running"] is True
    assert values["engine.paused"] is False
    assert values["engine.close_reason"] is None
    assert values["engine.spider.name"] == "status_spider"
    assert values["engine.frontier.pending"] >= 1  # this page's callback is still running
    assert values["len(engine.frontier)"] == 0
    assert values["len(engine.downloader.slots)"] == 1
    assert isinstance(values["len(engine.downloader.active)"], int)
    assert isinstance(values["time()-start_time"], float) and values["time()-start_time"] >= 0
    assert not any(str(value).endswith("(exception)") for value in values.values())
    assert text.startswith("Execution engine status\n\n")
    assert f"{'engine.spider.name':<47} : status_spider\n" in text
    printed = capsys.readouterr().out
    assert printed.startswith("Execution engine status\n\n")
    assert f"{'engine.spider.name':<47} : status_spider\n" in printed


def test_a_broken_engine_still_gives_a_report():
    class HalfBuilt:
        running = True

    values = dict(get_engine_status(HalfBuilt()))
    assert values["engine.running"] is True
    assert values["engine.spider.name"] == "AttributeError (exception)"
    assert values["len(engine.frontier)"] == "AttributeError (exception)"
    text = format_engine_status(None)
    assert "engine.running" in text and "(exception)" in text
