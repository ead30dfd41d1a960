"""Signal dispatch with Scrapy's SignalManager API, without pydispatcher or Twisted.

Receivers get only the keyword arguments they accept, as with pydispatcher's robustApply.
Sending a signal nobody listens to costs one dict lookup: the engine sends many.
"""

from __future__ import annotations

import inspect
import logging
import weakref
from collections.abc import Callable
from typing import Any

from ascrapy.failure import Failure
from ascrapy.utils.deferreds import deferred_as_future

logger = logging.getLogger("scrapy.utils.signal")

Receiver = Callable[..., Any]


class _Anonymous:
    def __repr__(self) -> str:
        return "Anonymous"


Anonymous = _Anonymous()


def _accepted_kwargs(receiver: Receiver) -> frozenset[str] | None:
    """The keyword names ``receiver`` accepts, or None when it takes ``**kwargs``."""
    try:
        params = inspect.signature(receiver).parameters.values()
    except (TypeError, ValueError):
        return None
    names = set()
    for param in params:
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if param.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            names.add(param.name)
    return frozenset(names)


# Every SignalManager alive, for ascrapy.utils.signal's module-level functions, which look
# receivers up by sender as pydispatcher's global registry does in Scrapy.
_live_managers: weakref.WeakSet[SignalManager] = weakref.WeakSet()


def live_signal_managers() -> list[SignalManager]:
    """The SignalManager instances that are still referenced somewhere."""
    return list(_live_managers)


class SignalManager:
    """Connects receivers to signals and sends signals, catching and logging receiver errors."""

    def __init__(self, sender: Any = Anonymous) -> None:
        self.sender = sender
        # Tuples, replaced on (dis)connection: a send iterates them without copying, and a
        # receiver that disconnects during a send does not disturb it.
        self._receivers: dict[Any, tuple[tuple[Receiver, frozenset[str] | None], ...]] = {}
        _live_managers.add(self)

    def receivers(self, signal: Any) -> list[Receiver]:
        """The receivers connected to ``signal``, in connection order."""
        return [receiver for receiver, _ in self._receivers.get(signal, ())]

    def connected_signals(self) -> list[Any]:
        """Every signal that has at least one receiver."""
        return list(self._receivers)

    def connect(self, receiver: Receiver, signal: Any, **kwargs: Any) -> None:
        entries = self._receivers.get(signal, ())
        if any(existing == receiver for existing, _ in entries):
            return
        self._receivers[signal] = (*entries, (receiver, _accepted_kwargs(receiver)))

    def disconnect(self, receiver: Receiver, signal: Any, **kwargs: Any) -> None:
        entries = self._receivers.get(signal)
        if entries:
            kept = tuple(entry for entry in entries if entry[0] != receiver)
            if kept:
                self._receivers[signal] = kept
            else:
                del self._receivers[signal]

    def disconnect_all(self, signal: Any, **kwargs: Any) -> None:
        self._receivers.pop(signal, None)

    def has_receivers(self, signal: Any) -> bool:
        """True when someone listens: callers skip building costly arguments otherwise."""
        return signal in self._receivers

    def _prepare(self, signal: Any, kwargs: dict[str, Any]) -> Any:
        dont_log = kwargs.pop("dont_log", None)
        kwargs.setdefault("sender", self.sender)
        kwargs["signal"] = signal
        return dont_log

    @staticmethod
    def _failed(receiver: Receiver, error: Exception, kwargs: dict[str, Any], dont_log: Any) -> Failure:
        failure = Failure(error)
        if not (dont_log and isinstance(error, dont_log)):
            logger.error(
                "Error caught on signal handler: %(receiver)s",
                {"receiver": receiver},
                exc_info=failure.exc_info(),
                extra={"spider": kwargs.get("spider")},
            )
        return failure

    def send_catch_log(self, signal: Any, **kwargs: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver; an exception becomes a logged Failure in the results.

        The engine sends some signals for every request, so this is one plain loop."""
        entries = self._receivers.get(signal)
        if not entries:
            return []
        dont_log = self._prepare(signal, kwargs)
        results = []
        for receiver, accepted in entries:
            try:
                if accepted is None:
                    result = receiver(**kwargs)
                else:  # a plain loop: a comprehension costs a frame of its own
                    given = {}
                    for name in accepted:
                        if name in kwargs:
                            given[name] = kwargs[name]
                    result = receiver(**given)
                if result is not None and inspect.isawaitable(result):
                    _close_unawaited(result)
                    raise TypeError(
                        f"Signal handler {receiver!r} returned an awaitable; "
                        "use send_catch_log_async to send this signal"
                    )
            except Exception as error:
                result = self._failed(receiver, error, kwargs, dont_log)
            results.append((receiver, result))
        return results

    async def send_catch_log_async(self, signal: Any, **kwargs: Any) -> list[tuple[Receiver, Any]]:
        """Like send_catch_log, awaiting receivers that are coroutines (one after another)."""
        entries = self._receivers.get(signal)
        if not entries:
            return []
        dont_log = self._prepare(signal, kwargs)
        results = []
        for receiver, accepted in entries:
            try:
                if accepted is None:
                    result = receiver(**kwargs)
                else:
                    result = receiver(**{name: kwargs[name] for name in accepted if name in kwargs})
                if inspect.isawaitable(result):
                    result = await deferred_as_future(result, receiver)
            except Exception as error:
                result = self._failed(receiver, error, kwargs, dont_log)
            results.append((receiver, result))
        return results

    async def send_catch_log_deferred(self, signal: Any, **kwargs: Any) -> list[tuple[Receiver, Any]]:
        """Scrapy's name for the asynchronous send; here it is a coroutine, not a Deferred."""
        return await self.send_catch_log_async(signal, **kwargs)

    def wait_for(self, signal: Any) -> Any:
        """An awaitable that completes the next time ``signal`` is sent."""
        import asyncio

        future = asyncio.get_running_loop().create_future()

        def _receiver(**kwargs: Any) -> None:
            self.disconnect(_receiver, signal)
            if not future.done():
                future.set_result(kwargs)

        self.connect(_receiver, signal)
        return future


def _close_unawaited(awaitable: Any) -> None:
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()
