"""Module-level signal sending, as ``scrapy.utils.signal``: receivers are found by sender.

Scrapy keeps every receiver in pydispatcher's global registry, keyed by (sender, signal);
ascrapy keeps them in each :class:`~ascrapy.signalmanager.SignalManager`. These functions
look through every live manager whose ``sender`` matches (``Any`` matches all), so
``send_catch_log(signal, sender=crawler)`` reaches what ``crawler.signals.connect`` added.
If the user's code has imported pydispatcher, receivers connected through it directly are
reached too. The managers' own methods are the fast path; these are for code written
against Scrapy's module functions.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any as _TypingAny

from ascrapy.exceptions import ScrapyDeprecationWarning, StopDownload
from ascrapy.failure import Failure
from ascrapy.signalmanager import Anonymous, live_signal_managers
from ascrapy.utils.defer import ensure_awaitable
from ascrapy.utils.deferreds import is_deferred

__all__ = ["Any", "Anonymous", "disconnect_all", "send_catch_log", "send_catch_log_async", "send_catch_log_deferred"]

logger = logging.getLogger("scrapy.utils.signal")

Receiver = Callable[..., _TypingAny]


class _AnySentinel:
    """Matches every signal or every sender (pydispatcher's ``Any``)."""

    def __repr__(self) -> str:
        return "Any"


Any = _AnySentinel()


# -- finding receivers ------------------------------------------------------------------------


def _pydispatch_receivers(signal: _TypingAny, sender: _TypingAny) -> list[Receiver]:
    dispatcher = sys.modules.get("pydispatch.dispatcher")
    if dispatcher is None:
        return []
    their_signal = dispatcher.Any if signal is Any else signal
    their_sender = {id(Any): dispatcher.Any, id(Anonymous): dispatcher.Anonymous}.get(id(sender), sender)
    return list(dispatcher.liveReceivers(dispatcher.getAllReceivers(their_sender, their_signal)))


def _live_receivers(signal: _TypingAny, sender: _TypingAny) -> list[Receiver]:
    """Receivers of ``signal`` connected for ``sender``, managers first, in connection order."""
    found: list[Receiver] = []
    for manager in live_signal_managers():
        if sender is Any or manager.sender is sender:
            found.extend(manager.receivers(signal))
    found.extend(_pydispatch_receivers(signal, sender))
    return found


def _robust_call(receiver: Receiver, arguments: tuple[_TypingAny, ...], named: dict[str, _TypingAny]) -> _TypingAny:
    """Call ``receiver`` with the positional arguments and the keyword arguments it accepts."""
    try:
        parameters = inspect.signature(receiver).parameters
    except (TypeError, ValueError):
        return receiver(*arguments, **named)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return receiver(*arguments, **named)
    keyword_kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    positional_kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    filled = {name for name, p in list(parameters.items())[: len(arguments)] if p.kind in positional_kinds}
    accepted = {
        key: value
        for key, value in named.items()
        if key not in filled and key in parameters and parameters[key].kind in keyword_kinds
    }
    return receiver(*arguments, **accepted)


def _dont_log_types(named: dict[str, _TypingAny]) -> tuple[type[BaseException], ...]:
    dont_log = named.pop("dont_log", ())
    if dont_log is None:
        return ()
    return tuple(dont_log) if isinstance(dont_log, Sequence) else (dont_log,)


def _log_receiver_error(receiver: Receiver, spider: _TypingAny) -> None:
    logger.error(
        "Error caught on signal handler: %(receiver)s",
        {"receiver": receiver},
        exc_info=True,
        extra={"spider": spider},
    )


def _receiver_name(receiver: Receiver) -> str:
    module = getattr(receiver, "__module__", None)
    qualname = getattr(receiver, "__qualname__", None) or repr(receiver)
    return f"{module}.{qualname}" if module else qualname


# -- sending ----------------------------------------------------------------------------------


def send_catch_log(
    signal: _TypingAny = Any, sender: _TypingAny = Anonymous, *arguments: _TypingAny, **named: _TypingAny
) -> list[tuple[Receiver, _TypingAny]]:
    """Call every receiver; an exception becomes a Failure in the results and is logged
    (unless it is one of ``dont_log`` or StopDownload). Receivers must be synchronous."""
    dont_log: tuple[type[BaseException], ...] = (*_dont_log_types(named), StopDownload)
    spider = named.get("spider")
    results: list[tuple[Receiver, _TypingAny]] = []
    for receiver in _live_receivers(signal, sender):
        try:
            result = _robust_call(receiver, arguments, {**named, "signal": signal, "sender": sender})
        except dont_log:
            result = Failure()
        except Exception:
            result = Failure()
            _log_receiver_error(receiver, spider)
        else:
            if is_deferred(result) or inspect.isawaitable(result):
                logger.error(
                    "Cannot return deferreds from signal handler: %(receiver)s",
                    {"receiver": receiver},
                    extra={"spider": spider},
                )
                close = getattr(result, "close", None)
                if inspect.iscoroutine(result) and close is not None:
                    close()  # it will never run; closing avoids a "never awaited" warning
        results.append((receiver, result))
    return results


async def send_catch_log_async(
    signal: _TypingAny = Any, sender: _TypingAny = Anonymous, *arguments: _TypingAny, **named: _TypingAny
) -> list[tuple[Receiver, _TypingAny]]:
    """Like :func:`send_catch_log`, awaiting receivers that return awaitables; they run
    concurrently. Errors come back as the exceptions themselves, not Failures."""
    dont_log = _dont_log_types(named)
    spider = named.get("spider")
    call_named = {**named, "signal": signal, "sender": sender}

    async def run(receiver: Receiver) -> tuple[Receiver, _TypingAny]:
        try:
            result = _robust_call(receiver, arguments, call_named)
            if is_deferred(result):
                result = await ensure_awaitable(result, _warn=_receiver_name(receiver))
            elif inspect.isawaitable(result):
                result = await result
        except dont_log as error:
            return receiver, error
        except Exception as error:
            _log_receiver_error(receiver, spider)
            return receiver, error
        return receiver, result

    return list(await asyncio.gather(*(run(receiver) for receiver in _live_receivers(signal, sender))))


def send_catch_log_deferred(
    signal: _TypingAny = Any, sender: _TypingAny = Anonymous, *arguments: _TypingAny, **named: _TypingAny
) -> asyncio.Future[list[tuple[Receiver, _TypingAny]]]:
    """Deprecated: :func:`send_catch_log_async` started as an asyncio Future (Scrapy: a
    Deferred), with errors as Failures."""
    warnings.warn(
        "send_catch_log_deferred() is deprecated, use send_catch_log_async() instead",
        ScrapyDeprecationWarning,
        stacklevel=2,
    )

    async def with_failures() -> list[tuple[Receiver, _TypingAny]]:
        results = await send_catch_log_async(signal, sender, *arguments, **named)
        return [
            (receiver, Failure(result) if isinstance(result, Exception) else result) for receiver, result in results
        ]

    return asyncio.ensure_future(with_failures())


def disconnect_all(signal: _TypingAny = Any, sender: _TypingAny = Any) -> None:
    """Disconnect every receiver of ``signal`` (``Any``: of every signal) from the managers
    of ``sender`` (``Any``: of every sender). Handy to clean up after tests."""
    for manager in live_signal_managers():
        if sender is not Any and manager.sender is not sender:
            continue
        for connected in [signal] if signal is not Any else manager.connected_signals():
            manager.disconnect_all(connected)
    dispatcher = sys.modules.get("pydispatch.dispatcher")
    if dispatcher is not None:
        their_signal = dispatcher.Any if signal is Any else signal
        their_sender = dispatcher.Any if sender is Any else sender
        for receiver in _pydispatch_receivers(signal, sender):
            dispatcher.disconnect(receiver, signal=their_signal, sender=their_sender)
