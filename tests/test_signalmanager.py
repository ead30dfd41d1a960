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


class _Component:
    def __init__(self, seen: list[object]) -> None:
        self.seen = seen

    def on_signal(self, item: object) -> None:
        self.seen.append(item)


def test_a_bound_method_is_held_weakly_as_in_scrapy_and_a_function_is_kept():
    """A component nothing else references is freed at once (its cleanup runs then, as on
    Scrapy), and stops receiving; a lambda connected on its own keeps receiving."""
    manager = SignalManager()
    seen: list[object] = []
    kept = _Component(seen)
    manager.connect(kept.on_signal, SIGNAL)
    manager.connect(_Component(seen).on_signal, SIGNAL)  # no other reference: gone at once
    manager.connect(lambda item: seen.append(("lambda", item)), SIGNAL)
    assert len(manager.receivers(SIGNAL)) == 2
    assert manager.receivers(SIGNAL)[0] == kept.on_signal
    results = manager.send_catch_log(SIGNAL, item=1)
    assert seen == [1, ("lambda", 1)]
    assert results[0][0] == kept.on_signal
    manager.disconnect(kept.on_signal, SIGNAL)
    del kept
    manager.send_catch_log(SIGNAL, item=2)
    assert seen == [1, ("lambda", 1), ("lambda", 2)]


def test_weak_false_keeps_a_bound_method_as_scrapys_connect_argument_does():
    manager = SignalManager()
    seen: list[object] = []
    manager.connect(_Component(seen).on_signal, SIGNAL, weak=False)
    manager.send_catch_log(SIGNAL, item=3)
    assert seen == [3]


def test_the_last_receiver_gone_leaves_the_signal_without_receivers():
    manager = SignalManager()
    component = _Component([])
    manager.connect(component.on_signal, SIGNAL)
    assert manager.has_receivers(SIGNAL)
    del component
    assert not manager.has_receivers(SIGNAL)  # the engine skips building its arguments again
