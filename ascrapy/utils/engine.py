"""A snapshot of what the engine is doing, for debugging a crawl that seems stuck.

The StackTraceDump extension logs it on SIGQUIT/SIGUSR2, and it can be printed from a
callback or the telnet console. Each line is an expression over the engine and its value;
an expression that fails shows the exception's name instead, so a half-built or mocked
engine still gives a report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

__all__ = ["format_engine_status", "get_engine_status", "print_engine_status"]


def _crawl_seconds(engine: Any) -> float:
    start = engine.crawler.stats.get_value("start_time")
    return time.time() - start.timestamp()


# (label, how to read it). Labels are written as expressions, as in Scrapy's report.
_CHECKS: list[tuple[str, Callable[[Any], Any]]] = [
    ("time()-start_time", _crawl_seconds),
    ("engine.running", lambda engine: engine.running),
    ("engine.paused", lambda engine: engine.paused),
    ("engine.close_reason", lambda engine: engine.close_reason),
    ("engine.spider.name", lambda engine: engine.spider.name),
    ("len(engine.downloader.active)", lambda engine: len(engine.downloader.active)),
    ("engine.downloader.needs_backout()", lambda engine: engine.downloader.needs_backout()),
    ("len(engine.downloader.slots)", lambda engine: len(engine.downloader.slots)),
    ("len(engine.frontier)", lambda engine: len(engine.frontier)),
    ("engine.frontier.in_flight", lambda engine: engine.frontier.in_flight),
    ("engine.frontier.pending", lambda engine: engine.frontier.pending),
]


def get_engine_status(engine: Any) -> list[tuple[str, Any]]:
    """``(expression, value)`` pairs describing ``engine`` right now."""
    status: list[tuple[str, Any]] = []
    for label, read in _CHECKS:
        try:
            value = read(engine)
        except Exception as error:
            value = f"{type(error).__name__} (exception)"
        status.append((label, value))
    return status


def format_engine_status(engine: Any) -> str:
    """The status as an aligned text table."""
    lines = ["Execution engine status", ""]
    lines.extend(f"{label:<47} : {value}" for label, value in get_engine_status(engine))
    return "\n".join(lines) + "\n\n"


def print_engine_status(engine: Any) -> None:
    print(format_engine_status(engine))
