"""Request queues (scrapy.squeues): order, persistence, callbacks by name, what cannot be stored."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from ascrapy import Request, Spider
from ascrapy.squeues import (
    FifoMemoryQueue,
    LifoMemoryQueue,
    MarshalFifoDiskQueue,
    MarshalFifoSQLiteQueue,
    MarshalLifoDiskQueue,
    MarshalLifoSQLiteQueue,
    PickleFifoDiskQueue,
    PickleFifoSQLiteQueue,
    PickleLifoDiskQueue,
    PickleLifoSQLiteQueue,
    _PickleFifoSerializationDiskQueue,
    _scrapy_non_serialization_queue,
    _serializable_queue,
)
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler

DISK = [
    (PickleFifoDiskQueue, True),
    (PickleLifoDiskQueue, False),
    (MarshalFifoDiskQueue, True),
    (MarshalLifoDiskQueue, False),
    (PickleFifoSQLiteQueue, True),
    (PickleLifoSQLiteQueue, False),
    (MarshalFifoSQLiteQueue, True),
    (MarshalLifoSQLiteQueue, False),
]
PICKLE = [PickleFifoDiskQueue, PickleLifoDiskQueue, PickleFifoSQLiteQueue, PickleLifoSQLiteQueue]
MARSHAL = [MarshalFifoDiskQueue, MarshalLifoDiskQueue, MarshalFifoSQLiteQueue, MarshalLifoSQLiteQueue]


class PagesSpider(Spider):
    name = "pages"

    def parse_page(self, response):
        pass

    def on_error(self, failure):
        pass


@pytest.fixture
def crawler():
    crawler = get_crawler(PagesSpider)
    crawler.spider = crawler._create_spider()
    return crawler


def urls(n: int) -> list[str]:
    return [f"http://a.example/{i}" for i in range(n)]


def drain(queue) -> list[str]:
    out = []
    while (request := queue.pop()) is not None:
        out.append(request.url)
    return out


@pytest.mark.parametrize(("cls", "fifo"), [*DISK, (FifoMemoryQueue, True), (LifoMemoryQueue, False)])
def test_order_len_and_peek(cls, fifo, crawler, tmp_path: Path):
    queue = build_from_crawler(cls, crawler, key=str(tmp_path / "q"))
    assert queue.pop() is None and queue.peek() is None and len(queue) == 0
    for url in urls(3):
        queue.push(Request(url))
    expected = urls(3) if fifo else urls(3)[::-1]
    assert len(queue) == 3
    assert queue.peek().url == expected[0]
    assert len(queue) == 3  # peek leaves it in place
    assert drain(queue) == expected
    queue.close()


@pytest.mark.parametrize(("cls", "fifo"), DISK)
def test_disk_queues_keep_requests_across_close_and_reopen(cls, fifo, crawler, tmp_path: Path):
    key = str(tmp_path / "q")
    queue = build_from_crawler(cls, crawler, key=key)
    for url in urls(3):
        queue.push(Request(url, priority=7, meta={"depth": 2}, headers={"X-A": "1"}))
    queue.pop()
    queue.close()
    reopened = build_from_crawler(cls, crawler, key=key)
    assert len(reopened) == 2
    request = reopened.peek()
    assert request.priority == 7 and request.meta["depth"] == 2 and request.headers["X-A"] == b"1"
    assert drain(reopened) == (urls(3)[1:] if fifo else urls(3)[1::-1])
    reopened.close()


@pytest.mark.parametrize(("cls", "fifo"), DISK)
def test_missing_parent_directories_are_created(cls, fifo, crawler, tmp_path: Path):
    key = tmp_path / "deep" / "er" / "q"
    queue = build_from_crawler(cls, crawler, key=str(key))
    queue.push(Request("http://a.example/"))
    assert key.parent.is_dir()
    queue.close()


@pytest.mark.parametrize(("cls", "fifo"), DISK)
def test_callbacks_travel_by_name_and_come_back_bound_to_the_spider(cls, fifo, crawler, tmp_path: Path):
    spider = crawler.spider
    queue = build_from_crawler(cls, crawler, key=str(tmp_path / "q"))
    queue.push(Request("http://a.example/", callback=spider.parse_page, errback=spider.on_error))
    request = queue.pop()
    assert request.callback == spider.parse_page and request.errback == spider.on_error
    queue.close()


@pytest.mark.parametrize("cls", PICKLE + MARSHAL)
def test_an_unserializable_meta_value_is_a_value_error(cls, crawler, tmp_path: Path):
    queue = build_from_crawler(cls, crawler, key=str(tmp_path / "q"))
    with pytest.raises(ValueError):
        queue.push(Request("http://a.example/", meta={"hook": lambda: None}))
    assert len(queue) == 0
    queue.close()


def test_pickle_errors_are_converted_and_chained(tmp_path: Path):
    queue = _PickleFifoSerializationDiskQueue(tmp_path / "q")
    with pytest.raises(ValueError, match="Can't (get|pickle) local object|Can't pickle") as info:
        queue.push(lambda: None)
    assert isinstance(info.value.__cause__, (pickle.PicklingError, AttributeError))
    queue.close()


@pytest.mark.parametrize("cls", [PickleFifoDiskQueue, MarshalLifoSQLiteQueue])
def test_a_callback_that_is_not_a_spider_method_is_a_value_error(cls, crawler, tmp_path: Path):
    queue = build_from_crawler(cls, crawler, key=str(tmp_path / "q"))
    with pytest.raises(ValueError, match="not an instance method"):
        queue.push(Request("http://a.example/", callback=lambda response: None))
    queue.close()


def test_memory_queues_keep_the_request_objects(crawler):
    queue = build_from_crawler(FifoMemoryQueue, crawler, "a key that memory queues ignore")
    request = Request("http://a.example/", meta={"hook": lambda: None})
    queue.push(request)
    assert queue.pop() is request


class NoPeek:
    def __init__(self) -> None:
        self.items: list[object] = []

    def push(self, obj: object) -> None:
        self.items.append(obj)

    def pop(self) -> object | None:
        return self.items.pop() if self.items else None


@pytest.mark.parametrize(
    "cls", [_serializable_queue(NoPeek, pickle.dumps, pickle.loads), _scrapy_non_serialization_queue(NoPeek)]
)
def test_peek_without_an_underlying_peek_is_not_implemented(cls):
    queue = cls()
    queue.push("x")
    with pytest.raises(NotImplementedError, match="The underlying queue class does not implement 'peek'"):
        queue.peek()
    assert queue.pop() == "x"  # the rest of the queue works


def test_serializable_queue_uses_the_given_codec():
    queue = _serializable_queue(NoPeek, lambda obj: repr(obj).encode(), lambda data: ("decoded", data))()
    queue.push(12)
    assert queue.items == [b"12"]
    assert queue.pop() == ("decoded", b"12")
