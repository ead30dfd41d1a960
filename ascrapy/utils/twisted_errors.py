"""Download errors as Twisted's exceptions too, for plugins that check for those.

Plugins written for Scrapy before 2.15 recognise a failed download by Twisted's classes:
``isinstance(exception, twisted.internet.error.TimeoutError)`` in ``process_exception``,
``DNSLookupError`` or ``TCPTimedOutError`` in a retry list. ascrapy's download errors are
Scrapy 2.19's (``DownloadTimeoutError``, ...). When Twisted's error module has been imported
(by such a plugin; ascrapy never imports it), ``seen_by_twisted`` gives the error a class
that derives from both: ascrapy's class first, with its name and module, so logs and stats
keys (``retry/reason_count/...``) do not change, and Twisted's counterparts after it.
Nothing happens, at the cost of one dictionary read, when Twisted is not loaded.
"""

from __future__ import annotations

import sys
from typing import TypeVar

from ascrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)

# ascrapy's download error -> Twisted's classes that meant the same to Scrapy's older
# releases (module, class name); the retry middleware of Scrapy 2.14 listed all of these.
TWISTED_COUNTERPARTS: dict[type[BaseException], tuple[tuple[str, str], ...]] = {
    DownloadTimeoutError: (
        ("twisted.internet.error", "TimeoutError"),
        ("twisted.internet.error", "TCPTimedOutError"),
        ("twisted.internet.defer", "TimeoutError"),
    ),
    CannotResolveHostError: (("twisted.internet.error", "DNSLookupError"),),
    DownloadConnectionRefusedError: (("twisted.internet.error", "ConnectionRefusedError"),),
    ResponseDataLossError: (("twisted.internet.error", "ConnectionLost"),),
}


_E = TypeVar("_E", bound=BaseException)
_DUAL_CLASSES: dict[tuple[type[BaseException], tuple[type[BaseException], ...]], type[BaseException]] = {}


def seen_by_twisted(error: _E) -> _E:
    """``error`` with a class that Twisted's counterparts recognise too (only when Twisted's
    error module is loaded and the error is one of ours); else ``error`` as it is."""
    if "twisted.internet.error" not in sys.modules:
        return error
    for cls in type(error).__mro__:
        if cls in TWISTED_COUNTERPARTS:
            twisted_bases = _loaded_counterparts(cls)
            if twisted_bases and not isinstance(error, twisted_bases):
                return _as_instance_of(error, _dual_class(type(error), twisted_bases))
            return error
    return error


def _as_instance_of(error: _E, dual: type[BaseException]) -> _E:
    """``error`` moved to ``dual``, or a copy of it there when the memory layouts differ
    (DNSLookupError is an OSError): same arguments, attributes, traceback and causes."""
    try:
        error.__class__ = dual  # type: ignore[assignment]  # a subclass of the error's own class
        return error
    except TypeError:
        copy = dual(*error.args)
        copy.__dict__.update(error.__dict__)
        copy.__cause__, copy.__context__ = error.__cause__, error.__context__
        copy.__suppress_context__ = error.__suppress_context__
        return copy.with_traceback(error.__traceback__)  # type: ignore[return-value]  # a subclass of _E


def _loaded_counterparts(cls: type[BaseException]) -> tuple[type[BaseException], ...]:
    found = []
    for module_name, name in TWISTED_COUNTERPARTS[cls]:
        module = sys.modules.get(module_name)
        if module is not None:
            found.append(getattr(module, name))
    return tuple(found)


def _dual_class(cls: type[BaseException], twisted_bases: tuple[type[BaseException], ...]) -> type[BaseException]:
    """``cls`` deriving from Twisted's classes too, under ``cls``'s own name and module, and
    shown as ``cls`` shows it (Twisted's ConnectError.__str__ reads attributes that only its
    own __init__ sets; ``osError`` is there for code that reads it)."""
    known = _DUAL_CLASSES.get((cls, twisted_bases))
    if known is not None:
        return known
    namespace = {"__module__": cls.__module__, "__str__": cls.__str__, "__repr__": cls.__repr__, "osError": None}
    dual = type(cls.__name__, (cls, *twisted_bases), namespace)
    dual.__qualname__ = cls.__qualname__
    dual.__doc__ = cls.__doc__
    _DUAL_CLASSES[(cls, twisted_bases)] = dual
    return dual
