"""install_shutdown_handlers and signal_names."""

from __future__ import annotations

import signal

import pytest

from ascrapy.utils.ossignal import install_shutdown_handlers, signal_names

SHUTDOWN = [getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGBREAK") if hasattr(signal, n)]


@pytest.fixture(autouse=True)
def restore_handlers():
    saved = {sig: signal.getsignal(sig) for sig in SHUTDOWN}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def shutdown(signum, frame):
    pass


def test_installs_for_every_shutdown_signal():
    install_shutdown_handlers(shutdown)
    assert all(signal.getsignal(sig) is shutdown for sig in SHUTDOWN)


def test_keeps_a_custom_sigint_handler_unless_overriding():
    def custom(signum, frame):
        pass

    signal.signal(signal.SIGINT, custom)
    install_shutdown_handlers(shutdown, override_sigint=False)
    assert signal.getsignal(signal.SIGINT) is custom
    assert signal.getsignal(signal.SIGTERM) is shutdown
    install_shutdown_handlers(shutdown)
    assert signal.getsignal(signal.SIGINT) is shutdown


def test_replaces_the_default_sigint_handler_even_without_overriding():
    signal.signal(signal.SIGINT, signal.default_int_handler)
    install_shutdown_handlers(shutdown, override_sigint=False)
    assert signal.getsignal(signal.SIGINT) is shutdown


def test_signal_names():
    assert signal_names[signal.SIGINT] == "SIGINT"
    assert signal_names[signal.SIGTERM] == "SIGTERM"
