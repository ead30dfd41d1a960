"""The Crawler's lifecycle as Scrapy's: attributes set when the crawl starts, crawl() that
starts at once, misuse refused, components found by class, and the runners' crawler set-up."""

from __future__ import annotations

import asyncio
import logging
import warnings

import pytest

from ascrapy import Spider, signals
from ascrapy.crawler import AsyncCrawlerRunner, Crawler, CrawlerRunner
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.settings import Settings


class Nothing(Spider):
    """A spider with no requests: its crawl opens, finds nothing to do and closes."""

    name = "nothing"

    async def start(self):
        return
        yield


def quiet_settings(**extra: object) -> Settings:
    return Settings({"TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "ERROR", **extra})


@pytest.mark.parametrize("attribute", ["stats", "extensions", "logformatter", "request_fingerprinter", "engine"])
def test_late_attributes_refuse_to_be_read_before_the_crawl_sets_them(attribute):
    crawler = Crawler(Nothing, quiet_settings())
    with pytest.raises(RuntimeError, match=rf"Crawler\.{attribute} is not set yet"):
        getattr(crawler, attribute)
    assert getattr(crawler, attribute, "absent") == "absent"  # probing still works
    crawler._apply_settings()
    if attribute == "engine":
        assert not hasattr(crawler, "engine")
    else:
        assert getattr(crawler, attribute) is not None


def test_component_getters_before_the_crawl_say_when_they_work():
    crawler = Crawler(Nothing, quiet_settings())
    for getter in (crawler.get_extension, crawler.get_item_pipeline,
                   crawler.get_downloader_middleware, crawler.get_spider_middleware):
        with pytest.raises(RuntimeError, match="can only be called after"):
            getter(object)


class Addon:
    def update_settings(self, settings: Settings) -> None:
        settings.set("ADDON_WAS_HERE", True, "addon")


class ChildAddon(Addon):
    pass


def test_get_addon_finds_the_running_addon_by_class_or_parent():
    crawler = Crawler(Nothing, quiet_settings(ADDONS={Addon: 0}))
    crawler._apply_settings()
    addon = crawler.get_addon(Addon)
    assert isinstance(addon, Addon) and crawler.settings.getbool("ADDON_WAS_HERE")
    assert crawler.get_addon(object) is addon
    assert crawler.get_addon(ChildAddon) is None


@pytest.mark.parametrize(("attribute", "setting"), [("download_delay", "DOWNLOAD_DELAY"),
                                                     ("max_concurrent_requests", "CONCURRENT_REQUESTS_PER_DOMAIN")])
def test_old_spider_attributes_become_their_settings_with_a_warning(attribute, setting):
    spider_class = type("Old", (Nothing,), {attribute: 3})
    crawler = Crawler(spider_class, quiet_settings())
    with pytest.warns(ScrapyDeprecationWarning, match=f"Use the {setting} setting"):
        crawler._apply_settings()
    assert crawler.settings.getint(setting) == 3

    crawler = Crawler(spider_class, quiet_settings())
    crawler.settings.set(setting, 5, priority="cmdline")
    with pytest.warns(ScrapyDeprecationWarning, match="ignored"):
        crawler._apply_settings()
    assert crawler.settings.getint(setting) == 5


async def test_crawl_starts_without_being_awaited_and_runs_once():
    opened = asyncio.Event()
    crawler = Crawler(Nothing, quiet_settings())
    crawler.signals.connect(lambda spider: opened.set(), signal=signals.spider_opened)
    first = crawler.crawl()
    second = crawler.crawl()
    await asyncio.wait_for(opened.wait(), 10)  # nobody awaited it: it started by itself
    await first
    with pytest.raises(RuntimeError, match="Crawling already taking place"):
        await second
    with pytest.raises(RuntimeError, match="more than once on the same instance"):
        await crawler.crawl_async()
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_stop_is_deprecated_for_stop_async():
    crawler = Crawler(Nothing, quiet_settings())
    await crawler.crawl_async()
    with pytest.warns(ScrapyDeprecationWarning, match=r"Crawler.stop\(\) is deprecated"):
        await crawler.stop()


@pytest.mark.parametrize("runner_class", [CrawlerRunner, AsyncCrawlerRunner])
def test_a_crawler_given_to_a_runner_takes_the_runner_settings_below_its_own(runner_class):
    class Custom(Nothing):
        custom_settings = {"OWN": "spider"}

    runner = runner_class({"OWN": "runner", "RUNNER_ONLY": "runner"})
    crawler = Crawler(Custom)
    assert runner.create_crawler(crawler) is crawler
    assert crawler.settings["OWN"] == "spider"
    assert crawler.settings["RUNNER_ONLY"] == "runner"
    with pytest.raises(ValueError, match="cannot be a spider object"):
        runner.crawl(Nothing())


class Broken(Nothing):
    name = "broken"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        raise ValueError("cannot build this spider")


@pytest.mark.parametrize("runner_class", [CrawlerRunner, AsyncCrawlerRunner])
async def test_a_runner_raises_a_crawl_error_to_whoever_awaits_it(runner_class, caplog):
    runner = runner_class(quiet_settings())
    with caplog.at_level(logging.CRITICAL), pytest.raises(ValueError, match="cannot build"):
        await runner.crawl(Broken)
    assert runner.bootstrap_failed and not runner.crawlers
    await runner.crawl(Nothing)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await runner.join()
