"""Lineage: which outside job (a Kafka message, say) each request of the crawl works for, and
when such a job is finished.

A source of work outside the crawl (a message from a topic) turns into one request, which
leads to others: its redirects and retries, the links its page yields, their pages' links.
The job is done when that whole tree of requests is acknowledged by the frontier (each
request's callback is over and its items have landed, see engine.acks) — only then may the
source say it is done (commit a Kafka offset).

An ``Origin`` counts the open requests of one job. The frontier tells the ``Lineage`` it
follows when it accepts a request (``opened``: duplicates are dropped before, so they never
open) and when it acknowledges one (``closed``). A request pushed while the engine works on
another (``current_request``) belongs to that one's origin; a request pushed outside any
page (from start()) belongs to the origin named in its meta. The origin's token lives in
the request's meta (``LINEAGE_KEY``), so a request copied by a middleware, or written to a
JOBDIR queue and read back, keeps it. Tokens carry an id of this run: a request that a
previous run left in a JOBDIR queue belongs to no origin of this one.

Without a lineage installed the frontier pays one ``is None`` test per push and per ack.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from ascrapy.engine.acks import current_request

if TYPE_CHECKING:
    from ascrapy.http import Request

J = TypeVar("J")

LINEAGE_KEY = "lineage"
"""The request meta key that holds the token of the origin a request works for."""


class Lineage(Protocol):
    """What the frontier tells about the requests it accepts and acknowledges."""

    def opened(self, request: Request) -> None:
        """``request`` was accepted (not a duplicate): it is now open work."""
        ...

    def closed(self, request: Request) -> None:
        """``request`` is acknowledged: its children are pushed and its items have landed."""
        ...


class LineageUnsupported(RuntimeError):
    """The frontier cannot follow a request's lineage (another worker may take it)."""


class Origin(Generic[J]):
    """One outside job: open while any request it led to is unacknowledged, or while its
    source holds it (``hold``/``release``: e.g. while its first request is being pushed)."""

    __slots__ = ("failure", "job", "on_done", "open", "token")

    def __init__(self, token: str, job: J, on_done: Callable[[Origin[J]], None]) -> None:
        self.token = token
        self.job = job
        self.on_done = on_done
        self.open = 1  # the source's hold, until it calls release()
        self.failure: tuple[str, BaseException | None] | None = None

    def hold(self) -> None:
        self.open += 1

    def release(self) -> None:
        self.open -= 1
        if not self.open:
            self.on_done(self)

    def fail(self, reason: str, error: BaseException | None = None) -> None:
        """Remember why the job failed (the first reason wins); it still finishes as usual."""
        if self.failure is None:
            self.failure = (reason, error)


class OriginTracker(Generic[J]):
    """The ``Lineage`` of one crawl: origins by token, and the requests that open and close them."""

    def __init__(self) -> None:
        self._run = uuid.uuid4().hex[:12]
        self._numbers = itertools.count()
        self._origins: dict[str, Origin[J]] = {}

    def __len__(self) -> int:
        """Origins not finished yet."""
        return len(self._origins)

    def begin(self, job: J, on_done: Callable[[Origin[J]], None]) -> Origin[J]:
        """A new origin for ``job``, held by its source until it calls ``release``;
        ``on_done(origin)`` runs once it is released and every request it led to is closed."""
        token = f"{self._run}.{next(self._numbers)}"

        def finished(origin: Origin[J]) -> None:
            del self._origins[origin.token]
            on_done(origin)

        origin = self._origins[token] = Origin(token, job, finished)
        return origin

    def stamp(self, request: Request, origin: Origin[J]) -> None:
        """Make ``request`` work for ``origin`` (before it is pushed from outside any page)."""
        request.meta[LINEAGE_KEY] = origin.token

    def origin_of(self, request: Request) -> Origin[J] | None:
        meta = request.meta_or_none
        token = meta.get(LINEAGE_KEY) if meta else None
        return self._origins.get(token) if token is not None else None

    def opened(self, request: Request) -> None:
        parent = current_request.get()
        if parent is None:
            origin = self.origin_of(request)
        else:
            origin = self.origin_of(parent)
            if origin is not None:
                request.meta[LINEAGE_KEY] = origin.token
            elif (meta := request.meta_or_none) and LINEAGE_KEY in meta:
                del meta[LINEAGE_KEY]  # a copied meta: the token is not this request's
        if origin is not None:
            origin.open += 1

    def closed(self, request: Request) -> None:
        origin = self.origin_of(request)
        if origin is not None:
            origin.release()
