"""Module-level send_catch_log / send_catch_log_async / disconnect_all over SignalManagers."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning, StopDownload
from ascrapy.failure import Failure
from ascrapy.signalmanager import SignalManager
from ascrapy.utils.signal import Any, disconnect_all, send_catch_log, send_catch_log_async, send_catch_log_deferred


class Sender:
    """Stands for a crawler: what SignalManager(sender) is keyed by."""


def failing(arg):
    raise ZeroDivisionError("handler bug")


def test_reaches_the_receivers_connected_for_the_sender_only(caplog):
    signal = object()
    sender, other = Sender(), Sender()
    mine, theirs = SignalManager(sender), SignalManager(other)
    calls = []

    def ok(arg, signal, sender):
        calls.append((arg, sender))
        return "OK"

    mine.connect(failing, signal)
    mine.connect(ok, signal)
    theirs.connect(lambda arg: calls.append(("theirs", arg)), signal)
    with caplog.at_level(logging.ERROR, logger="scrapy.utils.signal"):
        results = send_catch_log(signal, sender, arg="test")
    assert calls == [("test", sender)]
    assert results[0][0] is failing
    assert isinstance(results[0][1], Failure) and isinstance(results[0][1].value, ZeroDivisionError)
    assert results[1] == (ok, "OK")
    [record] = caplog.records
    assert "Error caught on signal handler" in record.getMessage() and "failing" in record.getMessage()
    assert record.exc_info is not None


def test_any_sender_reaches_every_manager():
    signal = object()
    first, second = SignalManager(Sender()), SignalManager(Sender())
    first.connect(lambda: 1, signal)
    second.connect(lambda: 2, signal)
    assert sorted(result for _, result in send_catch_log(signal, Any)) == [1, 2]


def test_positional_arguments_and_only_accepted_keywords():
    signal, sender = object(), Sender()
    manager = SignalManager(sender)
    seen = []
    manager.connect(lambda first, item=None: seen.append((first, item)), signal)
    send_catch_log(signal, sender, "positional", item=3, spider="ignored")
    assert seen == [("positional", 3)]


def test_dont_log_and_stop_download_are_not_logged(caplog):
    signal, sender = object(), Sender()
    manager = SignalManager(sender)

    def stop():
        raise StopDownload(fail=False)

    manager.connect(failing, signal)
    manager.connect(stop, signal)
    with caplog.at_level(logging.ERROR):
        results = send_catch_log(signal, sender, arg=1, dont_log=ZeroDivisionError)
    assert caplog.records == []
    assert [type(result.value) for _, result in results] == [ZeroDivisionError, StopDownload]


def test_an_awaitable_from_a_sync_send_is_an_error(caplog):
    signal, sender = object(), Sender()
    manager = SignalManager(sender)

    async def handler():
        return 1

    manager.connect(handler, signal)
    with caplog.at_level(logging.ERROR, logger="scrapy.utils.signal"):
        send_catch_log(signal, sender)
    assert "Cannot return deferreds from signal handler" in caplog.text


async def test_async_send_runs_handlers_concurrently_and_returns_exceptions(caplog):
    signal, sender = object(), Sender()
    manager = SignalManager(sender)
    released = asyncio.Event()

    async def waits():
        await released.wait()  # only a concurrent run lets `releases` set this
        return "waited"

    async def releases():
        released.set()
        return "released"

    manager.connect(waits, signal)
    manager.connect(releases, signal)
    manager.connect(failing, signal)
    manager.connect(lambda arg: arg * 2, signal)
    with caplog.at_level(logging.ERROR, logger="scrapy.utils.signal"):
        results = await asyncio.wait_for(send_catch_log_async(signal, sender, arg=21), 5)
    assert [result for _, result in results][:2] == ["waited", "released"]
    assert isinstance(results[2][1], ZeroDivisionError)
    assert results[3][1] == 42
    assert len(caplog.records) == 1


async def test_async_send_dont_log(caplog):
    signal, sender = object(), Sender()
    manager = SignalManager(sender)
    manager.connect(failing, signal)
    with caplog.at_level(logging.ERROR):
        [(_, error)] = await send_catch_log_async(signal, sender, arg=0, dont_log=(ZeroDivisionError,))
    assert isinstance(error, ZeroDivisionError)
    assert caplog.records == []


async def test_send_catch_log_deferred_is_deprecated_and_gives_failures():
    signal, sender = object(), Sender()
    manager = SignalManager(sender)
    manager.connect(failing, signal)

    async def ok():
        return "OK"

    manager.connect(ok, signal)
    with pytest.warns(ScrapyDeprecationWarning, match="send_catch_log_async"):
        future = send_catch_log_deferred(signal, sender, arg=0)
    results = await future
    assert isinstance(results[0][1], Failure)
    assert results[1] == (ok, "OK")


def test_disconnect_all_by_signal_and_sender():
    signal, other_signal = object(), object()
    sender, other = Sender(), Sender()
    mine, theirs = SignalManager(sender), SignalManager(other)
    for manager in (mine, theirs):
        manager.connect(lambda: None, signal)
        manager.connect(lambda: None, other_signal)

    disconnect_all(signal, sender)
    assert not mine.has_receivers(signal) and mine.has_receivers(other_signal)
    assert theirs.has_receivers(signal)

    disconnect_all(Any, sender)
    assert not mine.has_receivers(other_signal)
    assert theirs.has_receivers(signal) and theirs.has_receivers(other_signal)

    disconnect_all(signal)  # sender defaults to Any
    assert not theirs.has_receivers(signal) and theirs.has_receivers(other_signal)


def test_a_collected_manager_is_no_longer_reached():
    import gc

    signal, sender = object(), Sender()
    SignalManager(sender).connect(lambda: "gone", signal)
    gc.collect()
    assert send_catch_log(signal, sender) == []


def test_crawler_signals_are_reached_through_the_crawler():
    from ascrapy import signals
    from ascrapy.utils.test import get_crawler

    crawler = get_crawler()
    seen = []
    crawler.signals.connect(lambda spider: seen.append(spider), signals.spider_opened)
    send_catch_log(signals.spider_opened, crawler, spider="the spider")
    assert seen == ["the spider"]
