"""Acknowledgement: a request is finished when its effects are durable, not when its callback
returns.

The engine gives each request it hands out a Ticket. The ticket stays open while the
callback runs and while any item the callback produced has not landed: written by every
batch sink (feeds, MongoDB, custom batch pipelines), dead-lettered, or dropped by a pipeline.
When the last of these closes, the frontier acknowledges the request: its pending count goes
down and a durable store forgets it. So a crash never loses an item whose request was
acknowledged, and the pending count reaches zero only when everything has landed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ascrapy.http import Request


# The request whose download and callback the current task is working on: what it pushes
# are its page's requests (the Redis frontier stores them with the request's acknowledgement).
current_request: ContextVar[Request | None] = ContextVar("current_request", default=None)


class Ticket:
    """One handed-out request's open work: its callback (1) plus its items not yet landed."""

    __slots__ = ("ack", "open", "request")

    def __init__(self, request: Request, ack: Callable[[Request], None]) -> None:
        self.request = request
        self.ack = ack
        self.open = 1

    def done(self) -> None:
        """One piece of work is over (the callback, or one item has landed)."""
        self.open -= 1
        if not self.open:
            self.ack(self.request)


def landed(element: tuple[Any, Ticket | None]) -> None:
    """The batch stage's callback for an ``(item, ticket)`` written by every sink."""
    ticket = element[1]
    if ticket is not None:
        ticket.done()


def first(element: tuple[Any, Ticket | None]) -> Any:
    """The item of an ``(item, ticket)`` element."""
    return element[0]
