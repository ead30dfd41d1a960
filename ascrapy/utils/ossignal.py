"""Shutdown signal handlers: one function for SIGTERM, SIGINT and (on Windows) SIGBREAK."""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeAlias

__all__ = ["SignalHandlerT", "install_shutdown_handlers", "signal_names"]

# What signal.signal() accepts as a handler.
SignalHandlerT: TypeAlias = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None

# Signal numbers to their names ("SIGINT"), for log lines such as "Received SIGINT".
signal_names: dict[int, str] = {member.value: member.name for member in signal.Signals}


def install_shutdown_handlers(function: SignalHandlerT, override_sigint: bool = True) -> None:
    """Make ``function`` the handler of the usual shutdown signals.

    With ``override_sigint=False`` a SIGINT handler someone else installed (a debugger,
    say) is kept; Python's default KeyboardInterrupt handler is always replaced.
    """
    signal.signal(signal.SIGTERM, function)
    current_sigint = signal.getsignal(signal.SIGINT)
    if override_sigint or current_sigint == signal.default_int_handler:  # noqa: PLW0143
        signal.signal(signal.SIGINT, function)
    sigbreak = getattr(signal, "SIGBREAK", None)  # Ctrl-Break, Windows only
    if sigbreak is not None:
        signal.signal(sigbreak, function)
