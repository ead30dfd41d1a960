"""Signal dispatch with Scrapy's SignalManager API, without pydispatcher or Twisted.

Receivers get only the keyword arguments they accept, as with pydispatcher's robustApply.
Sending a signal nobody listens to costs one dict lookup: the engine sends many.

A bound method is held by a weak reference to its object, as Scrapy's dispatcher holds every
receiver: a component nothing else keeps alive is freed (and stops receiving) when its last
reference goes, instead of living on in a reference cycle with the crawler until the garbage
collector runs (scrapy-deltafetch's tests count on a middleware's database being closed then).
A plain function or lambda is held as it is, so ``connect(lambda item: ...)`` keeps working.
"""

from __future__ import annotations

import inspect
import logging
import weakref
from collections.abc import Callable
from types import MethodType
from typing import Any

from ascrapy.failure import Failure
from ascrapy.utils.deferreds import deferred_as_future

logger = logging.getLogger("scrapy.utils.signal")

Receiver = Callable[..., Any]
# How a receiver is kept: (the function to call, the keyword names it accepts or None for
# **kwargs, a weak reference to the object of a bound method or None for a plain function).
_Entry = tuple[Receiver, "frozenset[str] | None", "weakref.ref[Any] | None"]


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
        self._receivers: dict[Any, tuple[_Entry, ...]] = {}
        _live_managers.add(self)

    def receivers(self, signal: Any) -> list[Receiver]:
        """The receivers connected to ``signal`` whose objects are alive, in connection order."""
        found = []
        for func, _, owner_ref in self._receivers.get(signal, ()):
            if owner_ref is None:
                found.append(func)
            elif (owner := owner_ref()) is not None:
                found.append(MethodType(func, owner))
        return found

    def connected_signals(self) -> list[Any]:
        """Every signal that has at least one receiver."""
        return list(self._receivers)

    def connect(self, receiver: Receiver, signal: Any, **kwargs: Any) -> None:
        entries = self._receivers.get(signal, ())
        if any(_is(entry, receiver) for entry in entries):
            return
        self._receivers[signal] = (*entries, self._entry(receiver, signal, weak=kwargs.get("weak", True)))

    def _entry(self, receiver: Receiver, signal: Any, *, weak: bool) -> _Entry:
        """How to keep ``receiver``: a bound method weakly unless ``weak=False`` (Scrapy's
        connect argument), anything else as it is."""
        accepted = _accepted_kwargs(receiver)
        owner = getattr(receiver, "__self__", None)
        if not weak or not isinstance(receiver, MethodType) or owner is None:
            return receiver, accepted, None
        manager = weakref.ref(self)  # the callback must not keep the manager alive

        def forget(_: weakref.ref[Any]) -> None:
            alive = manager()
            if alive is not None:
                alive._drop_dead(signal)

        try:
            owner_ref = weakref.ref(owner, forget)
        except TypeError:  # an object that takes no weak reference: held as it is
            return receiver, accepted, None
        return receiver.__func__, accepted, owner_ref

    def _drop_dead(self, signal: Any) -> None:
        """Forget the receivers of ``signal`` whose objects are gone."""
        entries = self._receivers.get(signal)
        if entries:
            self._replace(signal, tuple(e for e in entries if e[2] is None or e[2]() is not None))

    def _replace(self, signal: Any, entries: tuple[_Entry, ...]) -> None:
        if entries:
            self._receivers[signal] = entries
        else:
            self._receivers.pop(signal, None)

    def disconnect(self, receiver: Receiver, signal: Any, **kwargs: Any) -> None:
        entries = self._receivers.get(signal)
        if entries:
            self._replace(signal, tuple(entry for entry in entries if not _is(entry, receiver)))

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
        for func, accepted, owner_ref in entries:
            if owner_ref is None:
                receiver = func
            elif (owner := owner_ref()) is None:
                continue  # its object is gone (the entry goes when the reference's callback runs)
            else:
                receiver = MethodType(func, owner)
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
        for func, accepted, owner_ref in entries:
            if owner_ref is None:
                receiver = func
            elif (owner := owner_ref()) is None:
                continue
            else:
                receiver = MethodType(func, owner)
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


def _is(entry: _Entry, receiver: Receiver) -> bool:
    """Whether ``entry`` holds ``receiver`` (a bound method: the same function and object)."""
    func, _, owner_ref = entry
    if owner_ref is None:
        return bool(func == receiver)
    return getattr(receiver, "__func__", None) is func and getattr(receiver, "__self__", None) is owner_ref()


def _close_unawaited(awaitable: Any) -> None:
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()
