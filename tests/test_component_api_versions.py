"""Components written for Scrapy 2.13's API or 2.19's both run, as Scrapy 2.19 keeps them: a
custom ITEM_PROCESSOR without *_async methods (with its warnings), the managers' deprecated
``process_item(item, spider)`` / ``open_spider(spider)`` / ``download(...)`` returning started
futures, closing that goes on past a failing component, and stats collectors whose
open_spider/close_spider take the spider or not."""

from __future__ import annotations

import logging
import warnings
from typing import Any

import pytest

from ascrapy import Request, Spider
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Response
from ascrapy.middleware.downloadermw import DownloaderMiddlewareManager
from ascrapy.pipelines import ItemPipelineManager
from ascrapy.stats import MemoryStatsCollector
from tests.crawl_helpers import crawl

RECORD: list[Any] = []


class ItemsFromStart(Spider):
    name = "items_from_start"

    async def start(self):
        for number in range(3):
            yield {"number": number}


class OldStyleProcessor:
    """An ITEM_PROCESSOR of Scrapy 2.13's kind: the spider is an argument, no *_async methods."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OldStyleProcessor:
        return cls(crawler)

    def open_spider(self, spider: Spider) -> None:
        RECORD.append(("open", spider.name))

    async def process_item(self, item: dict[str, Any], spider: Spider) -> dict[str, Any]:
        RECORD.append(("item", item["number"], spider.name))
        return {**item, "processed": True}

    def close_spider(self, spider: Spider) -> None:
        RECORD.append(("close", spider.name))


class OverridesOnlyTheOldMethod(ItemPipelineManager):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        RECORD.append(("subclass", item["number"]))
        return super().process_item(item, spider)


@pytest.fixture(autouse=True)
def clean_record():
    RECORD.clear()


async def test_an_item_processor_of_the_older_api_runs_with_a_warning_for_each_method():
    with pytest.warns(ScrapyDeprecationWarning) as caught:
        crawler = await crawl(ItemsFromStart, {"ITEM_PROCESSOR": OldStyleProcessor})
    messages = " ".join(str(warning.message) for warning in caught)
    for method in ("open_spider", "process_item", "close_spider"):
        assert f"doesn't define a {method}_async() method" in messages
    assert RECORD == [("open", "items_from_start"), *[("item", n, "items_from_start") for n in range(3)],
                      ("close", "items_from_start")]
    assert crawler.stats.get_value("item_scraped_count") == 3


async def test_a_manager_subclass_overriding_only_process_item_is_still_called():
    with pytest.warns(ScrapyDeprecationWarning) as caught:
        crawler = await crawl(ItemsFromStart, {"ITEM_PROCESSOR": OverridesOnlyTheOldMethod})
    messages = " ".join(str(warning.message) for warning in caught)
    assert "overrides process_item() but doesn't override process_item_async()" in messages
    assert RECORD == [("subclass", n) for n in range(3)]
    assert crawler.stats.get_value("item_scraped_count") == 3


class NeedsSpider:
    def process_item(self, item: dict[str, Any], spider: Spider) -> dict[str, Any]:
        return {**item, "by": spider.name}


def manager_without_crawler(*components: Any) -> ItemPipelineManager:
    with pytest.warns(ScrapyDeprecationWarning):
        return ItemPipelineManager(*components)


async def test_the_deprecated_manager_methods_take_the_spider_and_return_futures():
    manager = manager_without_crawler(NeedsSpider())
    spider = Spider(name="given")
    with pytest.warns(ScrapyDeprecationWarning, match=r"process_item\(\) is deprecated"):
        future = manager.process_item({"a": 1}, spider)
    assert await future == {"a": 1, "by": "given"}
    with pytest.warns(ScrapyDeprecationWarning), pytest.raises(RuntimeError, match="Different instances of Spider"):
        manager.open_spider(Spider(name="another"))


async def test_a_hook_that_needs_the_spider_fails_clearly_without_one():
    manager = manager_without_crawler(NeedsSpider())
    with pytest.raises(ValueError, match="has no known Spider instance"):
        await manager.process_item_async({"a": 1})


class FailsToClose:
    def __init__(self, name: str) -> None:
        self.name = name

    def close_spider(self) -> None:
        RECORD.append(("close", self.name))
        raise OSError(f"{self.name} cannot close")


async def test_closing_goes_past_failures_and_raises_the_first(caplog):
    manager = manager_without_crawler(FailsToClose("first"), FailsToClose("second"), FailsToClose("third"))
    with caplog.at_level(logging.ERROR), pytest.raises(OSError, match="third cannot close"):
        await manager.close_spider_async()  # closed in reverse order: the last one first
    assert RECORD == [("close", "third"), ("close", "second"), ("close", "first")]
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert [str(error) for error in logged] == ["second cannot close", "first cannot close"]


class Passthrough:
    def process_request(self, request: Request) -> None:
        return None


async def test_download_is_deprecated_for_download_async_and_none_is_refused():
    with pytest.warns(ScrapyDeprecationWarning):
        manager = DownloaderMiddlewareManager(Passthrough())
    request = Request("http://example.com/")
    response = Response(request.url, request=request)

    def old_download(request: Request, spider: Any) -> Any:
        async def answer() -> Response:
            return response
        return answer()

    with pytest.warns(ScrapyDeprecationWarning, match=r"download\(\) is deprecated"):
        assert await manager.download(old_download, request) is response

    async def nothing(request: Request) -> None:
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="Received None in process_response"):
            await manager.download_async(nothing, request)


class CollectorOf219(MemoryStatsCollector):
    """Scrapy 2.19's collector methods take no spider."""

    def open_spider(self) -> None:
        RECORD.append("opened")

    def close_spider(self, reason: str | None = None) -> None:
        RECORD.append(("closed", reason))


class CollectorOf213(MemoryStatsCollector):
    def open_spider(self, spider: Spider) -> None:
        RECORD.append(("opened", spider.name))

    def close_spider(self, spider: Spider, reason: str) -> None:
        RECORD.append(("closed", spider.name, reason))


async def test_stats_collectors_of_either_api_are_opened_and_closed():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await crawl(ItemsFromStart, {"STATS_CLASS": CollectorOf219})
    assert RECORD == ["opened", ("closed", "finished")]
    RECORD.clear()
    with pytest.warns(ScrapyDeprecationWarning) as caught:
        await crawl(ItemsFromStart, {"STATS_CLASS": CollectorOf213})
    assert RECORD == [("opened", "items_from_start"), ("closed", "items_from_start", "finished")]
    messages = " ".join(str(warning.message) for warning in caught)
    assert "The open_spider() method of tests.test_component_api_versions.CollectorOf213 requires a spider argument" in messages
    assert "The close_spider() method of tests.test_component_api_versions.CollectorOf213 requires a spider argument" in messages
