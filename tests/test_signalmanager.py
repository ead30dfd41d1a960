"""SignalManager: receivers get the arguments they accept; their errors become Failures."""

from __future__ import annotations

import logging

from ascrapy.exceptions import DontCloseSpider
from ascrapy.failure import Failure
from ascrapy.signalmanager import SignalManager

SIGNAL = object()


def test_receivers_get_only_the_keyword_arguments_they_accept():
    manager = SignalManager()
    seen = []

    def narrow(item):
        seen.append(("narrow", item))
        return "n"

    def wide(**kwargs):
        seen.append(("wide", sorted(kwargs)))

    manager.connect(narrow, SIGNAL)
    manager.connect(wide, SIGNAL)
    results = manager.send_catch_log(SIGNAL, item=1, spider="s")
    assert seen == [("narrow", 1), ("wide", ["item", "sender", "signal", "spider"])]
    assert results[0] == (narrow, "n")


def test_a_failing_receiver_is_logged_and_the_others_still_run(caplog):
    manager = SignalManager()
    calls = []

    def broken():
        raise ValueError("boom")

    manager.connect(broken, SIGNAL)
    manager.connect(lambda: calls.append(1), SIGNAL)
    with caplog.at_level(logging.ERROR):
        results = manager.send_catch_log(SIGNAL)
    assert calls == [1]
    assert isinstance(results[0][1], Failure) and results[0][1].check(ValueError)
    assert "Error caught on signal handler" in caplog.text


def test_dont_log_keeps_expected_exceptions_quiet(caplog):
    manager = SignalManager()

    def keep_open():
        raise DontCloseSpider

    manager.connect(keep_open, SIGNAL)
    results = manager.send_catch_log(SIGNAL, dont_log=DontCloseSpider)
    assert results[0][1].check(DontCloseSpider)
    assert caplog.text == ""


async def test_async_send_awaits_coroutine_receivers_and_sync_send_refuses_them(caplog):
    manager = SignalManager()

    async def receiver(value):
        return value * 2

    manager.connect(receiver, SIGNAL)
    assert await manager.send_catch_log_async(SIGNAL, value=21) == [(receiver, 42)]
    results = manager.send_catch_log(SIGNAL, value=1)
    assert results[0][1].check(TypeError)
    assert "send_catch_log_async" in str(results[0][1].value)


def test_connect_is_idempotent_and_disconnect_removes():
    manager = SignalManager()
    calls = []

    def receiver():
        calls.append(1)

    manager.connect(receiver, SIGNAL)
    manager.connect(receiver, SIGNAL)
    assert manager.has_receivers(SIGNAL)
    manager.send_catch_log(SIGNAL)
    manager.disconnect(receiver, SIGNAL)
    manager.send_catch_log(SIGNAL)
    assert calls == [1]
    assert not manager.has_receivers(SIGNAL)
